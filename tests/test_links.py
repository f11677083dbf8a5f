"""Public links come from ZI_BASE_URL only, and every named link leads to a page that exists."""

from __future__ import annotations

import pytest
from flask import url_for

from zi_public import links
from zi_public.qr import qr_svg


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"BASE_URL": "https://zi.example.id/"}


def test_links_use_the_configured_base_url_whatever_the_request_host(bare_app):
    with bare_app.test_request_context("/api/v1/pengaduan", base_url="https://attacker.example.com"):
        assert links.pengaduan_status() == "https://zi.example.id/pengaduan/status"
        assert links.pengaduan_status("PGD-2026-000123") == "https://zi.example.id/pengaduan/status?nomor=PGD-2026-000123"
        assert links.pengaduan_case(42) == "https://zi.example.id/internal/pengaduan/42"
        assert links.home() == "https://zi.example.id/"
        assert links.wbs_home() == "https://zi.example.id/wbs/"
        assert links.absolute("/pengaduan/status", nomor="A&B", kosong=None) == (
            "https://zi.example.id/pengaduan/status?nomor=A%26B"
        )


def test_links_need_no_request(bare_app):
    with bare_app.app_context():  # the mail outbox worker, a CLI command
        assert links.pengaduan_status() == "https://zi.example.id/pengaduan/status"


def test_development_without_a_base_url_links_to_the_local_server(bare_app):
    bare_app.config["BASE_URL"] = None
    with bare_app.test_request_context("/", base_url="https://lapor.example.id"):
        assert links.pengaduan_status() == "http://127.0.0.1:5000/pengaduan/status"
        assert links.base_url() == links.DEFAULT_BASE_URL


@pytest.mark.parametrize("path", ["pengaduan/status", "//evil.example/x", "https://evil.example/x"])
def test_only_application_paths_are_linked(bare_app, path):
    with bare_app.app_context(), pytest.raises(ValueError):
        links.absolute(path)


@pytest.mark.parametrize(
    ("link", "endpoint", "values"),
    [
        (lambda: links.pengaduan_status(), "pengaduan.status", {}),
        (lambda: links.pengaduan_status("PGD-2026-000123"), "pengaduan.status", {"nomor": "PGD-2026-000123"}),
        (lambda: links.pengaduan_case(42), "internal.pengaduan.case", {"case_id": 42}),
        (lambda: links.home(), "public.home", {}),
        (lambda: links.wbs_home(), "wbs.index", {}),
        (lambda: links.set_password("abc_DEF-123"), "auth.password_link", {"token": "abc_DEF-123"}),
    ],
)
def test_every_named_link_is_the_page_the_blueprints_serve(bare_app, link, endpoint, values):
    with bare_app.test_request_context("/"):
        assert link() == "https://zi.example.id" + url_for(endpoint, **values)


def test_qr_codes_are_inline_svg_with_an_optional_title():
    svg = qr_svg("https://zi.example.id/pengaduan/status?nomor=PGD-2026-000123&x=1", title="a & b")
    assert svg.startswith('<svg viewBox="0 0 ') and "<title>a &amp; b</title>" in svg and "<script" not in svg
    assert "<title>" not in qr_svg("otpauth://totp/ZI:budi?secret=ABC")  # a secret is never a tooltip
