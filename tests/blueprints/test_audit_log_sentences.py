"""The audit log in words: every action code the source records has a sentence, shown in the page's language
with the code kept small beside it; sentences never carry what the audit data does not (no code, no receipt,
no reporter's identity)."""

from __future__ import annotations

import ast
import html
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from tests.factories import TEST_PASSWORD, make_filed, make_user, make_wbs_filed, pengaduan_input
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import AuditEntry, LinkPurpose, Role
from zi_public.rules import gratifikasi as gratifikasi_rules
from zi_public.rules import pengaduan as pengaduan_rules
from zi_public.rules import wbs as wbs_rules
from zi_public.rules.pengaduan import Channel
from zi_public.security.permissions import CASE_READERS
from zi_public.services import accounts, audit, audit_labels
from zi_public.services.evaluations import SCOPES
from zi_public.services.pengaduan.filing import Recording, file_pengaduan
from zi_public.services.wbs.reporter_audit import REPORTER_ACTIONS

ROOT = Path(__file__).resolve().parents[2]
URL = "/internal/audit"

#: Codes built from a value at run time (an f-string): every value the placeholder can take.
DYNAMIC: dict[str, list[str]] = {
    "pengaduan.{action.value}": [f"pengaduan.{a.value}" for a in pengaduan_rules.Action],
    "wbs.{action.value}": [f"wbs.{a.value}" for a in wbs_rules.Action],
    "gratifikasi.{action.value}": [f"gratifikasi.{a.value}" for a in gratifikasi_rules.Action],
    "user.{purpose.value}": [f"user.{p.value}" for p in LinkPurpose],
    "user.{link.purpose.value}_approve": [f"user.{p.value}_approve" for p in LinkPurpose],
    "user.{link.purpose.value}_reject": [f"user.{p.value}_reject" for p in LinkPurpose],
    "{kind}.attachment_download": [f"{kind}.attachment_download" for kind in CASE_READERS],
    "{kind}.attachment_download_original": [f"{kind}.attachment_download_original" for kind in CASE_READERS],
}
#: An evaluation's codes (services/evaluations.py): one per scope.
SCOPED = "{scope_.audit_prefix}."
#: A code held in a variable the scan cannot follow (a loop over queued rows): where its values are listed.
OPAQUE: dict[tuple[str, str], frozenset[str]] = {
    ("zi_public/services/wbs/reporter_audit.py", "action"): REPORTER_ACTIONS,
}


class Unresolved(Exception):
    pass


def _is_audit_record(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "record"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "audit"
    )


class Module:
    """One source file, with what the scan needs to follow a code from a call back to its text."""

    def __init__(self, path: Path) -> None:
        self.path = str(path.relative_to(ROOT))
        self.tree = ast.parse(path.read_text(encoding="utf-8"))
        self.parents: dict[ast.AST, ast.AST] = {}
        for parent in ast.walk(self.tree):
            for child in ast.iter_child_nodes(parent):
                self.parents[child] = parent
        self.constants = {
            target.id: node.value
            for node in self.tree.body
            if isinstance(node, ast.Assign)
            for target in node.targets
            if isinstance(target, ast.Name)
        }

    def function_of(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def codes(self, expr: ast.expr, where: ast.AST) -> set[str]:
        """Every text `expr` (seen inside `where`) can have."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.codes(expr.body, where) | self.codes(expr.orelse, where)
        if isinstance(expr, ast.JoinedStr):
            pattern = ast.unparse(expr)[2:-1]
            if pattern.startswith(SCOPED) and "{" not in pattern.removeprefix(SCOPED):
                return {f"{scope.audit_prefix}.{pattern.removeprefix(SCOPED)}" for scope in SCOPES.values()}
            if pattern not in DYNAMIC:
                raise Unresolved(f"{self.path}:{expr.lineno} f-string {pattern!r}: declare its values in DYNAMIC")
            return set(DYNAMIC[pattern])
        if isinstance(expr, ast.Name):
            return self._name(expr, where)
        raise Unresolved(f"{self.path}:{expr.lineno} {ast.unparse(expr)!r}")

    def _name(self, name: ast.Name, where: ast.AST) -> set[str]:
        function = self.function_of(where)
        if function is not None:
            assigned = [
                node.value
                for node in ast.walk(function)
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name.id for t in node.targets)
            ]
            if assigned:
                return set().union(*(self.codes(value, value) for value in assigned))
            params = [a.arg for a in function.args.args]
            if name.id in params:
                return self._arguments(function.name, params.index(name.id), name.id)
        if (self.path, name.id) in OPAQUE:
            return set(OPAQUE[(self.path, name.id)])
        if name.id in self.constants:
            return self.codes(self.constants[name.id], self.tree)
        raise Unresolved(f"{self.path}:{name.lineno} {name.id}: declare where its values come from in OPAQUE")

    def _arguments(self, function: str, position: int, keyword: str) -> set[str]:
        """What the module's calls of its own `function` pass for one parameter."""
        found: set[str] = set()
        for call in ast.walk(self.tree):
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == function:
                args = [a for a in call.args if not isinstance(a, ast.Starred)]
                values = [k.value for k in call.keywords if k.arg == keyword] or args[position : position + 1]
                for value in values:
                    found |= self.codes(value, call)
        return found


def recorded_codes() -> dict[str, str]:
    """Every action code the application's source records, with where (scanned, not listed by hand)."""
    codes: dict[str, str] = {}
    for folder in ("zi_public", "blueprints"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            module = Module(path)
            for call in ast.walk(module.tree):
                if not _is_audit_record(call):
                    continue
                keyword = [k.value for k in call.keywords if k.arg == "action"]
                action = keyword[0] if keyword else call.args[1]
                for code in module.codes(action, call):
                    codes.setdefault(code, f"{module.path}:{call.lineno}")
    return codes


def test_every_code_recorded_anywhere_has_a_sentence() -> None:
    codes = recorded_codes()
    assert len(codes) > 100  # the scan found the real source, dynamic codes included
    assert {"pengaduan.read", "user.role_change", "wbs.reporter_session", "skm.standard_create"} <= set(codes)
    assert "benturan.evaluation_update" in codes and "calendar.override_add" in codes  # through a helper's parameter
    missing = sorted(f"{code} ({where})" for code, where in codes.items() if not audit_labels.has_sentence(code))
    assert not missing, "add a sentence to zi_public/services/audit_labels.py:\n" + "\n".join(missing)


def test_the_scan_follows_helpers_and_refuses_what_it_cannot_follow(tmp_path: Path) -> None:
    source = ROOT / "zi_public" / "_scan_sample.py"
    try:
        source.write_text(
            'LOGGED = "x.constant"\n'
            "def _log(actor, action):\n    audit.record(actor, action)\n"
            'def a():\n    _log(None, "x.param")\n    audit.record(None, LOGGED)\n'
            '    what = "x.if" if a else "x.else"\n    audit.record(None, what)\n'
            "def b(thing):\n    audit.record(None, thing.code)\n",
            encoding="utf-8",
        )
        module = Module(source)
        calls = [node for node in ast.walk(module.tree) if _is_audit_record(node)]
        assert set().union(*(module.codes(c.args[1], c) for c in calls[:3])) == {
            "x.param",
            "x.constant",
            "x.if",
            "x.else",
        }
        with pytest.raises(Unresolved):
            module.codes(calls[3].args[1], calls[3])
    finally:
        source.unlink()


@pytest.mark.parametrize("language", ["id", "en"])
def test_every_sentence_reads_without_data(bare_app, language: str) -> None:
    """An entry missing the values its sentence names still reads (a dash), never a KeyError."""
    entries = [
        AuditEntry(id=i, actor="budi", action=code, target_type=None, target_id=None, data="{}")
        for i, code in enumerate(audit_labels.SENTENCES, start=1)
    ]
    with bare_app.test_request_context(headers={"Cookie": f"{LANG_COOKIE}={language}"}):
        described = audit_labels.describe(entries)
    assert len(described) == len(entries)
    assert all(d.sentence and "%(" not in d.sentence for d in described.values())


def sign_in(app, username: str, language: str = "id") -> FlaskClient:  # noqa: ANN001
    client = app.test_client()
    assert client.post("/auth/login", data={"username": username, "password": TEST_PASSWORD}).status_code == 302
    client.set_cookie(LANG_COOKIE, language)
    return client


def rows_text(client: FlaskClient, url: str = URL, **query: str) -> list[str]:
    """Each log row's text, tags removed."""
    response = client.get(url, query_string=query)
    assert response.status_code == 200
    rows = re.findall(r'<tr id="entry-\d+">(.*?)</tr>', response.get_data(as_text=True), re.S)
    return [html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row))).strip() for row in rows]


def test_a_role_change_reads_as_a_sentence_in_each_language_with_its_code(app):
    with app.app_context():
        admin = make_user(Role.ADMIN, username="admin1")
        budi = make_user(Role.SKM, username="budi")
        accounts.set_role(admin, budi, Role.UPG)
        db.session.commit()
    indonesian = rows_text(sign_in(app, "admin1"), action="user.role_change")
    assert len(indonesian) == 1
    assert "Mengubah peran pengguna budi menjadi UPG" in indonesian[0]
    assert "user.role_change" in indonesian[0]  # the code stays, small
    english = rows_text(sign_in(app, "admin1", "en"), action="user.role_change")
    assert "Changed the role of user budi to UPG" in english[0] and "user.role_change" in english[0]
    assert "Mengubah" not in english[0]


def test_case_reads_name_the_case_and_never_its_secrets(app, seeded):
    """A staff member opens a rahasia complaint: the log says which one, not who filed it or its access code;
    a WBS report's receipt and reporter never reach the log either."""
    with app.app_context():
        make_user(Role.ADMIN, username="admin1")
        make_user(Role.PENGADUAN, username="tim1")
        filed = make_filed(identity="rahasia", name="Siti Rahma", email="siti.rahma@example.id", phone="081299887766")
        wbs = make_wbs_filed(who_name="Pak Bendahara")
        db.session.commit()
        case_id, number, code, receipt = filed.pengaduan.id, filed.pengaduan.number, filed.access_code, wbs.receipt
    assert sign_in(app, "tim1").get(f"/internal/pengaduan/{case_id}").status_code == 200
    admin = sign_in(app, "admin1")
    rows = rows_text(admin)
    assert any(f"Membaca pengaduan {number}" in row and "pengaduan.read" in row for row in rows)
    assert any(f"Pengaduan {number} masuk melalui Web" in row and "pelapor (tanpa akun)" in row for row in rows)
    page = html.unescape(admin.get(URL, query_string={"action": ""}).get_data(as_text=True))
    for secret in (code, receipt, "Siti Rahma", "siti.rahma@example.id", "081299887766", "Pak Bendahara"):
        assert secret not in page
    english = rows_text(sign_in(app, "admin1", "en"))
    assert any(f"Read complaint {number}" in row for row in english)
    assert any(f"Complaint {number} received via Web" in row and "reporter (no account)" in row for row in english)


def test_filtering_by_code_still_works_and_an_unknown_code_still_reads(app):
    with app.app_context():
        make_user(Role.ADMIN, username="admin1")
        audit.record("cli", "test.unlisted", target_type="setting", target_id="x")
        db.session.commit()
    rows = rows_text(sign_in(app, "admin1"), action="test.")
    assert rows == [rows[0]] and "Tindakan test.unlisted pada setting #x" in rows[0]
    assert "baris perintah" in rows[0]  # the command line acted, not an account called "cli"


def test_the_admin_dashboard_tells_the_latest_activity_in_words(app):
    with app.app_context():
        make_user(Role.ADMIN, username="admin1")
        db.session.commit()
    admin = sign_in(app, "admin1", "en")
    page = html.unescape(admin.get("/internal/").get_data(as_text=True))
    assert "Signed in to the internal area" in page and "Created account admin1 with role Admin" in page
    assert "<code>user.login</code>" in page


def test_a_complaint_the_team_recorded_on_an_earlier_day_says_so(app, seeded):
    with app.app_context():
        make_user(Role.ADMIN, username="admin1")
        team = make_user(Role.PENGADUAN, username="tim1")
        now = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
        same_day = file_pengaduan(
            pengaduan_input(), channel=Channel.TELEPHONE, now=now, recording=Recording(team, date(2026, 11, 30))
        ).pengaduan.number
        earlier = file_pengaduan(
            pengaduan_input(), channel=Channel.LETTER, now=now, recording=Recording(team, date(2026, 11, 23))
        ).pengaduan.number
        db.session.commit()
    rows = rows_text(sign_in(app, "admin1", "en"), action="pengaduan.create")
    assert any(f"Recorded complaint {same_day}, received via Telephone/call centre" in row for row in rows), rows
    assert any(
        f"Recorded complaint {earlier}, received via Letter on 23 Nov 2026 (an earlier day)" in row for row in rows
    )
    assert all("tim1" in row for row in rows)  # the team member who recorded it, not the reporter
