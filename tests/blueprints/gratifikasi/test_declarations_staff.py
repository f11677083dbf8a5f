"""The UPG's declaration pages: the list and its filters, a declaration's page (an audited read with the
declarant's data decrypted), the superior's decision and its carrying out (rules-gated, stale forms refused,
empty or broken forms answered 400 with messages); the pimpinan reads and changes nothing; others are refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.services.gratifikasi.test_benturan_declarations import NAME, NIK, make_declaration, yearly_input
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, Role
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import Decision, DeclarationStatus
from zi_public.rules.periods import QUARTER, make_period
from zi_public.services.gratifikasi import benturan_declarations as service

LIST = "/internal/gratifikasi/benturan/deklarasi"


def page_of(declaration_id: int) -> str:
    return f"{LIST}/{declaration_id}"


def new_declaration(app, **overrides) -> tuple[int, str, str]:
    with app.app_context():
        filed = make_declaration(**overrides)
        db.session.commit()
        return filed.declaration.id, filed.declaration.number, filed.access_code


def new_yearly(app) -> int:
    with app.app_context():
        filed = service.file_declaration(yearly_input())
        db.session.commit()
        return filed.declaration.id


def load(app, declaration_id: int) -> ConflictDeclaration:
    with app.app_context():
        item = db.session.get(ConflictDeclaration, declaration_id)
        db.session.expunge(item)
        return item


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_the_issue_check_a_declaration_gets_a_decision_is_carried_out_and_counts_in_the_quarter(app, client, login_as):
    declaration_id, number, code = new_declaration(app)
    login_as(Role.UPG)
    listing = client.get(LIST).get_data(as_text=True)
    assert number in listing and "Hubungan keluarga" in listing and NAME not in listing and NIK not in listing
    page = client.get(page_of(declaration_id)).get_data(as_text=True)
    assert NAME in page and NIK in page and "Budi Santoso Relative" in page and 'id="decision-form"' in page
    today = today_jakarta()
    response = client.post(
        f"{page_of(declaration_id)}/keputusan",
        data={
            "superior": "Kepala Seksi Perizinan",
            "decision": "tugas_dialihkan",
            "decided_on": today.isoformat(),
            "note": "Dialihkan ke analis lain.",
            "seen_status": "diterima",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:1500]
    page = client.get(page_of(declaration_id)).get_data(as_text=True)
    assert "Tugas dialihkan kepada pejabat lain" in page and 'id="carry-out-form"' in page
    response = client.post(
        f"{page_of(declaration_id)}/dilaksanakan", data={"carried_out_on": today.isoformat(), "note": "Sudah."}
    )
    assert response.status_code == 302
    item = load(app, declaration_id)
    assert item.status == DeclarationStatus.DILAKSANAKAN and item.decision == Decision.TUGAS_DIALIHKAN
    assert item.carried_out_on == today
    listing = client.get(LIST).get_data(as_text=True)
    assert "Tugas dialihkan kepada pejabat lain" in listing and "Dilaksanakan" in listing
    actions = audit_actions(app)
    assert actions.count("benturan.read") == 2 and "benturan.decide" in actions and "benturan.carry_out" in actions
    with app.app_context():
        figures = service.quarter_figures(make_period(QUARTER, today.year, (today.month - 1) // 3 + 1))
        assert figures.count_of(item.kind, Decision.TUGAS_DIALIHKAN) == 1 and figures.decided == 1
    # The declarant sees the decision and when it was carried out.
    shown = client.post("/benturan-kepentingan/status", data={"number": number, "access_code": code})
    text = shown.get_data(as_text=True)
    assert "Tugas dialihkan kepada pejabat lain" in text and "Dilaksanakan" in text and "Kepala Seksi" not in text


def test_empty_or_broken_forms_answer_400_with_messages_and_change_nothing(app, client, login_as):
    declaration_id, _number, _code = new_declaration(app)
    yearly_id = new_yearly(app)
    login_as(Role.UPG)
    for url, data in [
        (f"{page_of(declaration_id)}/keputusan", {}),
        (
            f"{page_of(declaration_id)}/keputusan",
            {"decision": "teleport", "decided_on": "kemarin", "superior": "x\x00"},
        ),
        (f"{page_of(declaration_id)}/keputusan", {"superior": "A", "decision": "lainnya", "decided_on": "2001-01-01"}),
        (f"{page_of(declaration_id)}/keputusan", {"superior": "A" * 5000, "decision": ["a", "b"], "seen_event": "x"}),
        (f"{page_of(declaration_id)}/dilaksanakan", {}),
        (f"{page_of(yearly_id)}/keputusan", {}),
        (f"{page_of(yearly_id)}/dilaksanakan", {"carried_out_on": today_jakarta().isoformat()}),
    ]:
        response = client.post(url, data=data)
        text = response.get_data(as_text=True)
        assert response.status_code == 400, (url, data, text[:500])
        assert 'class="flash' in text or "error" in text
        assert NAME not in text  # the page of a refused step shows no personal data (no read was recorded)
    tomorrow = (today_jakarta() + timedelta(days=1)).isoformat()
    text = client.post(
        f"{page_of(declaration_id)}/keputusan",
        data={"superior": "Atasan", "decision": "lanjut_diawasi", "decided_on": tomorrow},
    ).get_data(as_text=True)
    assert "Tanggal tidak boleh setelah hari ini." in text and 'value="Atasan"' in text
    item = load(app, declaration_id)
    assert item.status == DeclarationStatus.DITERIMA and item.decision is None
    assert load(app, yearly_id).status == DeclarationStatus.DICATAT
    assert "benturan.decide" not in audit_actions(app)
    assert client.get(page_of(999_999)).status_code == 404
    assert client.post(f"{page_of(999_999)}/keputusan", data={}).status_code == 404


def test_a_stale_form_is_refused(app, client, login_as):
    declaration_id, _number, _code = new_declaration(app)
    login_as(Role.UPG)
    today = today_jakarta().isoformat()
    data = {"superior": "Atasan", "decision": "tidak_ada_benturan", "decided_on": today, "seen_status": "diterima"}
    assert client.post(f"{page_of(declaration_id)}/keputusan", data=data).status_code == 302
    again = client.post(f"{page_of(declaration_id)}/keputusan", data={**data, "decision": "lanjut_diawasi"})
    assert again.status_code == 400
    with app.app_context():
        item = db.session.get(ConflictDeclaration, declaration_id)
        assert item.decision == Decision.TIDAK_ADA_BENTURAN
        # A decision needing nothing more offers no carried-out form and refuses one.
    page = client.get(page_of(declaration_id)).get_data(as_text=True)
    assert 'id="carry-out-form"' not in page and 'id="decision-form"' not in page
    assert client.post(f"{page_of(declaration_id)}/dilaksanakan", data={"carried_out_on": today}).status_code == 400


def test_the_list_filters_and_a_broken_filter_shows_nothing(app, client, login_as):
    specific_id, number, _code = new_declaration(app)
    yearly_id = new_yearly(app)
    login_as(Role.PIMPINAN)
    with app.app_context():
        yearly_number = db.session.get(ConflictDeclaration, yearly_id).number
    text = client.get(LIST, query_string={"kind": "tahunan_nihil"}).get_data(as_text=True)
    assert yearly_number in text and number not in text
    text = client.get(LIST, query_string={"status": "diterima", "year": str(today_jakarta().year)}).get_data(
        as_text=True
    )
    assert number in text and yearly_number not in text
    text = client.get(LIST, query_string={"q": number.lower()}).get_data(as_text=True)
    assert number in text and yearly_number not in text
    for args in ({"kind": "x"}, {"status": "\x00"}, {"year": "1999"}, {"q": "%_%"}, {"before": "abc"}):
        response = client.get(LIST, query_string=args)
        assert response.status_code in (200, 400)
        if "before" not in args:
            assert number not in response.get_data(as_text=True)
    assert specific_id


def test_the_pimpinan_reads_every_view_is_audited_and_changes_nothing(app, client, login_as):
    declaration_id, _number, _code = new_declaration(app)
    boss = login_as(Role.PIMPINAN)
    page = client.get(page_of(declaration_id)).get_data(as_text=True)
    assert NAME in page and 'id="decision-form"' not in page
    client.get(page_of(declaration_id))
    with app.app_context():
        reads = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "benturan.read")))
        assert len(reads) == 2 and {entry.actor_id for entry in reads} == {boss.id}
    today = today_jakarta().isoformat()
    data = {"superior": "Atasan", "decision": "lanjut_diawasi", "decided_on": today}
    assert client.post(f"{page_of(declaration_id)}/keputusan", data=data).status_code == 403
    assert load(app, declaration_id).decision is None


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.SKM])
def test_other_roles_are_refused(app, client, login_as, role):
    declaration_id, _number, _code = new_declaration(app)
    login_as(role)
    assert client.get(LIST).status_code == 403
    assert client.get(page_of(declaration_id)).status_code == 403
    assert client.post(f"{page_of(declaration_id)}/keputusan", data={}).status_code == 403
    assert client.post(f"{page_of(declaration_id)}/dilaksanakan", data={}).status_code == 403
    assert "benturan.read" not in audit_actions(app)


def test_the_english_staff_pages(app, client, login_as):
    declaration_id, _number, _code = new_declaration(app)
    login_as(Role.UPG)
    client.set_cookie("zi_lang", "en")
    listing = client.get(LIST).get_data(as_text=True)
    assert "Working days to decision" in listing
    page = client.get(page_of(declaration_id)).get_data(as_text=True)
    assert "Record the superior's decision" in page or "Record the superior&#39;s decision" in page
    assert "Catat keputusan" not in page
