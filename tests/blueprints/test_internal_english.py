"""The English internal area reads English: every internal page a role can open (GET), walked as each role with
the language set to English, shows no Indonesian interface text, no catalogue row by its Indonesian name, and
none of a short list of Indonesian words that only untranslated text would bring (issue 11, point 12).

One SQLite app and one signed-in client per role for the whole module; what staff or reporters typed is written
in neutral words here, so anything Indonesian on a page is the interface's own.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from tests.conftest import base_config
from tests.factories import (
    TEST_PASSWORD,
    advance,
    make_gratifikasi,
    make_kiosk_device,
    make_maklumat,
    make_pengaduan,
    make_perception_questionnaire,
    make_skm_response,
    make_standard,
    make_user,
    make_wbs,
)
from tests.test_i18n import UNTRANSLATED, VisibleText
from zi_public import create_app
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.localtime import today_jakarta
from zi_public.models import Bidang, Category, Layanan, Role, WbsCategory
from zi_public.rules.pengaduan import Action
from zi_public.rules.periods import period_of
from zi_public.services.reference import seed_reference_data
from zi_public.services.settings import REPORT_SIGNERS

#: Words of Indonesian prose that no English page needs (glossary terms such as bidang or disposisi are names,
#: kept out on purpose).
INDONESIAN_WORDS = re.compile(
    r"\b(dan|yang|untuk|dengan|tidak|belum|sudah|telah|oleh|dari|pada|atau|akan|ini|itu|bila|jika|dapat|harus"
    r"|setiap|seluruh|sebagai|masih|sampai|tanggal|simpan|ubah|hapus|lihat|kembali|tambah|unduh|cari)\b",
    re.IGNORECASE,
)
NEUTRAL = "Lorem ipsum text"
#: Data in Indonesian by nature, which no catalogue translates: the office's name and its officers' positions
#: (settings), and the shipped questionnaires' sources and notes (citations of Indonesian documents).
QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "zi_public" / "data" / "perception_questionnaires.json"


class InterfaceText(VisibleText):
    """The interface's text only: what staff typed into a form (a textarea, an input's value), an option's
    value and raw codes (<code>: audit codes and data) are not."""

    SKIPPED = ("textarea", "code")

    def __init__(self, html: str) -> None:
        self._skipping = 0
        super().__init__(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIPPED:
            self._skipping += 1
        if tag == "option":
            attrs = [(name, value) for name, value in attrs if name != "value"]
        super().handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self._skipping -= 1
        super().handle_endtag(tag)

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            super().handle_data(data)


@pytest.fixture(scope="module")
def app(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app on a copy of the migrated SQLite database, with a case of every kind (id 1 each)."""
    root = tmp_path_factory.mktemp("internal-english")
    shutil.copyfile(sqlite_template, root / "db.sqlite3")
    app = create_app(base_config(root, f"sqlite:///{root / 'db.sqlite3'}"))
    with app.app_context():
        seed_reference_data()
        users = {role: make_user(role=role, username=f"en-{role.value}") for role in Role}
        case = make_pengaduan(title=NEUTRAL, description=NEUTRAL, name="Budi Santoso")
        advance(users[Role.PENGADUAN], case, Action.VERIFY)
        advance(users[Role.PENGADUAN], case, Action.DISPOSE, body=NEUTRAL)
        neutral_wbs = {"what": NEUTRAL, "who_name": "X", "who_position": "Y", "who_unit": "Z", "when": "Monday"}
        make_wbs(**neutral_wbs, where="Counter 3", how=NEUTRAL, how_known=NEUTRAL)
        make_gratifikasi(chronology=NEUTRAL, occasion=NEUTRAL, unit="Unit Z", position="Analyst")
        make_skm_response()
        make_standard(
            **dict.fromkeys(("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan"), NEUTRAL)
        )
        make_maklumat(text=NEUTRAL)
        make_perception_questionnaire()
        make_kiosk_device(name="Kiosk 1", location="Floor 1")
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def signed_in(app: Flask, role: Role) -> FlaskClient:
    client = app.test_client()
    response = client.post("/auth/login", data={"username": f"en-{role.value}", "password": TEST_PASSWORD})
    assert response.status_code == 302
    client.set_cookie(LANG_COOKIE, "en")
    return client


def page_url(app: Flask, rule: Rule) -> str:
    """The rule's URL for the first row of each kind, this quarter, the PBG standard, the shipped questionnaire."""
    quarter = period_of("quarter", today_jakarta())
    semester = period_of("semester", today_jakarta())
    values: dict[str, object] = {}
    for name in rule.arguments:
        converter = rule._converters[name]
        if hasattr(converter, "items"):  # any(...)
            values[name] = sorted(converter.items)[0]
        elif name == "period":
            values[name] = semester.code if "monev" in rule.endpoint else quarter.code
        elif name == "year":
            values[name] = quarter.year
        elif name == "code":
            values[name] = "spak" if "perception" in rule.endpoint else "pbg"
        else:
            values[name] = 1
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def indonesian_data(app: Flask) -> list[str]:
    """Texts an English page may show in Indonesian because they are data (see QUESTIONNAIRES)."""
    shipped = json.loads(QUESTIONNAIRES.read_text(encoding="utf-8"))
    found: list[str] = []

    def strings(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for name, item in value.items():
                strings(item, name)
        elif isinstance(value, list):
            for item in value:
                strings(item, key)
        elif isinstance(value, str) and key in ("name", "note", "notes"):
            found.append(value)

    strings(shipped["questionnaires"])
    return [app.config["SITE_OWNER"], *REPORT_SIGNERS.values(), *found]


def indonesian_names(app: Flask) -> tuple[set[str], set[str]]:
    """The catalogue's Indonesian names that differ from their English ones: single words (matched as a whole
    piece of text) and longer names (matched anywhere in one)."""
    with app.app_context():
        names = {
            name
            for model in (Bidang, Category, Layanan, WbsCategory)
            for name, english in db.session.execute(sa.select(model.name, model.name_en))
            if english and english != name
        }
    return {n for n in names if " " not in n}, {n for n in names if " " in n}


def test_every_internal_page_reads_english_for_every_role(app: Flask) -> None:
    words, long_names = indonesian_names(app)
    data = indonesian_data(app)
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("internal.") and "GET" in (rule.methods or ()) and not rule.rule.endswith(".xlsx")
    ]
    problems: list[str] = []
    read = 0
    for role in Role:
        client = signed_in(app, role)
        for rule in rules:
            allowed = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
            if allowed is not None and role not in allowed:
                continue  # refused (test_internal_access proves it): nothing to read
            url = page_url(app, rule)
            response = client.get(url)
            if response.status_code != 200 or not response.mimetype == "text/html":
                continue  # another role's page, a row this walk has none of, or a download
            read += 1
            page = InterfaceText(response.get_data(as_text=True))
            assert page.lang == "en", url
            for piece in page.pieces:
                if any(text in piece or piece in text for text in data):
                    continue
                if (
                    piece in UNTRANSLATED
                    or piece in words
                    or INDONESIAN_WORDS.search(piece)
                    or any(name in piece for name in long_names)
                ):
                    problems.append(f"{role.value} {url}: {piece[:120]!r}")
    assert read > 60  # the walk reached the pages, not just the refusals
    assert not problems, "Indonesian on English internal pages:\n" + "\n".join(sorted(set(problems)))


def test_the_walk_sees_indonesian_when_the_page_is_indonesian(app: Flask) -> None:
    """The checks above would catch an untranslated page: the same page in Indonesian trips them."""
    client = signed_in(app, Role.SKM)
    client.set_cookie(LANG_COOKIE, "id")
    page = InterfaceText(client.get("/internal/skm/standar").get_data(as_text=True))
    words, long_names = indonesian_names(app)
    assert any(piece in UNTRANSLATED for piece in page.pieces)
    assert any(name in piece for piece in page.pieces for name in long_names)


def test_the_working_days_page_names_the_holidays_in_english(app: Flask) -> None:
    client = signed_in(app, Role.ADMIN)
    page = InterfaceText(client.get("/internal/hari-kerja?year=2026").get_data(as_text=True))
    assert "Working days and holidays" in page.pieces  # the menu: a calendar, not one "Working day"
    assert {"Independence Day", "Eid al-Fitr Joint Holiday"} <= set(page.pieces)
    assert "Hari Kemerdekaan Republik Indonesia" not in page.pieces
    client.set_cookie(LANG_COOKIE, "id")
    page = InterfaceText(client.get("/internal/hari-kerja?year=2026").get_data(as_text=True))
    assert "Hari Kemerdekaan Republik Indonesia" in page.pieces and "Hari kerja dan libur" in page.pieces
