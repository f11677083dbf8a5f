"""The public shell: the home page explains the four services; the language switch is safe."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from flask import url_for

from blueprints.public.routes import SERVICES
from zi_public.i18n import LANG_COOKIE


class Page(HTMLParser):
    """The parts of a page these tests look at: elements with their attributes, and links."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a for t, a in self.elements
            if t == tag and all(a.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def hrefs(self) -> list[str]:
        return [a["href"] for t, a in self.elements if t == "a" and a.get("href")]


def set_cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]


def test_home_explains_the_four_services_in_indonesian(client):
    response = client.get("/")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Pilih layanan" in body
    for title in ("Pengaduan", "Whistle-blowing (WBS)", "Laporan gratifikasi", "Survei Kepuasan Masyarakat"):
        assert f">{title}<" in body, title
    # What each service is for, as a citizen would read it.
    assert "kode akses" in body
    assert "tanpa menyebut nama" in body
    assert "30 hari kerja" in body
    assert "sembilan unsur pelayanan" in body


def test_home_links_only_to_services_that_exist(app, client):
    body = client.get("/").get_data(as_text=True)
    missing = [name for name in SERVICES if f"{name}.index" not in app.view_functions]
    assert body.count("Segera tersedia") == len(missing)
    with app.test_request_context():
        existing = {url_for(f"{name}.index") for name in SERVICES if name not in missing}
    # Every link on the page leads somewhere real: no card points at a service not yet built.
    for href in set(Page(body).hrefs()):
        if href.startswith("/") and not href.startswith("/bahasa/"):
            assert client.get(href).status_code == 200, href
    assert existing <= set(Page(body).hrefs())


def test_home_links_a_service_once_its_blueprint_exists(app, client):
    """The card turns into a link (and loses its badge) as soon as the endpoint is registered."""
    if "wbs.index" not in app.view_functions:
        app.add_url_rule("/wbs-stub", endpoint="wbs.index", view_func=lambda: "WBS")
    body = client.get("/").get_data(as_text=True)
    with app.test_request_context():
        assert url_for("wbs.index") in Page(body).hrefs()
    assert body.count("Segera tersedia") == sum(
        f"{name}.index" not in app.view_functions for name in SERVICES
    )


def test_home_has_landmarks_skip_link_and_indonesian_lang(client):
    page = Page(client.get("/").get_data(as_text=True))
    assert page.find("html", lang="id")
    assert len(page.find("header")) == 1
    assert len(page.find("main")) == 1 and page.find("main", id="main")
    assert len(page.find("footer")) == 1
    assert len(page.find("h1")) == 1
    first_link = next(attrs for tag, attrs in page.elements if tag == "a")
    assert first_link["href"] == "#main", "the skip link must be the first thing Tab reaches"
    for nav in page.find("nav"):
        assert nav.get("aria-label"), "every nav landmark needs a name to tell it apart"


def test_switching_language_sets_cookie_and_returns_to_the_page(client):
    response = client.get("/bahasa/en", query_string={"next": "/auth/login?x=1"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login?x=1"
    (cookie,) = set_cookie_headers(response, LANG_COOKIE)
    assert cookie.startswith(f"{LANG_COOKIE}=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=" in cookie


def test_english_page_after_switching_has_lang_en(client):
    client.get("/bahasa/en")
    page = Page(client.get("/").get_data(as_text=True))
    assert page.find("html", lang="en")
    # The switch offers the way back, and marks English as current.
    assert any(h.startswith("/bahasa/id") for h in page.hrefs())
    assert not any(h.startswith("/bahasa/en") for h in page.hrefs())
    client.get("/bahasa/id")
    assert Page(client.get("/").get_data(as_text=True)).find("html", lang="id")


def test_english_catalogue_translates_home(client):
    """Needs the compiled English catalogue (zi_public/translations/en)."""
    client.get("/bahasa/en")
    body = client.get("/").get_data(as_text=True)
    assert "Choose a service" in body
    assert "Pilih layanan" not in body


def test_language_switch_link_returns_to_the_current_page(client):
    page = Page(client.get("/auth/login", query_string={"next": "/internal/"}).get_data(as_text=True))
    (href,) = [h for h in page.hrefs() if h.startswith("/bahasa/en")]
    response = client.get(href)
    assert response.headers["Location"] == "/auth/login?next=/internal/"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil",
        "javascript:alert(1)",
        "http:/evil.example",
        "/\tevil.example",
        " //evil.example",
        "",
    ],
)
def test_language_switch_never_redirects_off_site(client, target):
    response = client.get("/bahasa/en", query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert set_cookie_headers(response, LANG_COOKIE), "the choice is still remembered"


@pytest.mark.parametrize("code", ["fr", "EN", "xx-evil", "id%0d%0aSet-Cookie:%20a=b"])
def test_unknown_language_code_is_ignored(client, code):
    response = client.get(f"/bahasa/{code}", query_string={"next": "/auth/login"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login"
    assert not set_cookie_headers(response, LANG_COOKIE)
    assert Page(client.get("/").get_data(as_text=True)).find("html", lang="id")


@pytest.mark.parametrize("value", ["fr", "", "en;evil", "../../etc/passwd"])
def test_forged_language_cookie_falls_back_to_indonesian(client, value):
    client.set_cookie(LANG_COOKIE, value)
    response = client.get("/")
    assert response.status_code == 200
    assert Page(response.get_data(as_text=True)).find("html", lang="id")
