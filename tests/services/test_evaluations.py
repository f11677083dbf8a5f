"""services/evaluations.py: a scope's written evaluation and follow-up items (carried forward while open),
the roles per scope, the stale-save guard and the audit entries (without the text)."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db as _db
from zi_public.models import AuditEntry, FollowUpItem, PeriodEvaluation, Role
from zi_public.rules.periods import parse_period
from zi_public.services import evaluations
from zi_public.services.evaluations import EvaluationConflict, EvaluationRefused, ItemInput

Q1, Q2, Q3, Q4 = (parse_period(f"2026-Q{i}") for i in range(1, 5))
YEAR = parse_period("2026")


@pytest.fixture
def upg(db):
    return make_user(role=Role.UPG)


def audit_actions(prefix: str = "benturan.") -> list[AuditEntry]:
    return list(_db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like(prefix + "%"))))


def test_scopes_say_who_writes_and_which_period():
    scope = evaluations.scope_of("benturan")
    assert scope.role == Role.UPG and scope.period_kind == "quarter"
    with pytest.raises(ValueError):
        evaluations.scope_of("nope")
    assert evaluations.period_codes("benturan", YEAR) == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert evaluations.period_codes("benturan", Q3) == ["2026-Q3"]
    assert [p.code for p in evaluations.periods_of("benturan", YEAR)] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]


def test_the_text_is_saved_and_audited_without_its_words(upg):
    saved = evaluations.save_evaluation(upg, "benturan", Q2, "  Pernyataan naik; sosialisasi kurang.  ", version="")
    assert saved.text == "Pernyataan naik; sosialisasi kurang."
    assert evaluations.get_evaluation("benturan", Q2).text == saved.text
    version = evaluations.evaluation_version(saved)
    evaluations.save_evaluation(upg, "benturan", Q2, "Versi kedua.", version=version)
    assert _db.session.get(PeriodEvaluation, ("benturan", "2026-Q2")).text == "Versi kedua."
    entries = audit_actions()
    assert [e.action for e in entries] == ["benturan.evaluation_update"] * 2
    assert all("Pernyataan" not in str(e.data) and "Versi" not in str(e.data) for e in entries)
    assert entries[0].target_id == "benturan/2026-Q2"


def test_a_save_over_a_colleagues_is_refused(upg):
    colleague = make_user(role=Role.UPG)
    opened = evaluations.evaluation_version(evaluations.get_evaluation("benturan", Q2))  # '' before any save
    evaluations.save_evaluation(colleague, "benturan", Q2, "Teks rekan.", version=opened)
    with pytest.raises(EvaluationConflict):
        evaluations.save_evaluation(upg, "benturan", Q2, "Teks saya.", version=opened)
    assert evaluations.get_evaluation("benturan", Q2).text == "Teks rekan."
    # An item too: a page opened before a colleague's save cannot save over it.
    item = evaluations.add_item(upg, "benturan", Q2, ItemInput("Sosialisasi", "UPG"))
    before = evaluations.item_version(item)
    evaluations.update_item(colleague, item, status="selesai", evidence="Daftar hadir", today=Q2.end, version=before)
    with pytest.raises(EvaluationConflict):
        evaluations.update_item(upg, item, status="terbuka", evidence="", today=Q2.end, version=before)
    assert item.status == "selesai" and item.evidence == "Daftar hadir"


@pytest.mark.parametrize("role", [r for r in Role if r != Role.UPG])
def test_only_the_scopes_role_writes(db, role):
    other = make_user(role=role)
    with pytest.raises(EvaluationRefused):
        evaluations.save_evaluation(other, "benturan", Q2, "x")
    with pytest.raises(EvaluationRefused):
        evaluations.add_item(other, "benturan", Q2, ItemInput("x", "y"))
    assert not evaluations.can_write("benturan", other)
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpItem)) == 0


def test_an_inactive_upg_member_writes_nothing(upg):
    upg.is_active = False
    with pytest.raises(EvaluationRefused):
        evaluations.save_evaluation(upg, "benturan", Q2, "x")


def test_a_scope_evaluates_its_own_kind_of_period(upg):
    with pytest.raises(ValueError):
        evaluations.save_evaluation(upg, "benturan", YEAR, "x")
    with pytest.raises(ValueError):
        evaluations.add_item(upg, "benturan", parse_period("2026-S1"), ItemInput("x", "y"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ItemInput("", "UPG"), "item"),
        (ItemInput("  \u200b ", "UPG"), "item"),
        (ItemInput("Sosialisasi", ""), "owner"),
        (ItemInput("x" * (evaluations.ITEM_MAX + 1), "UPG"), "item"),
        (ItemInput("Sosialisasi", "U" * (evaluations.OWNER_MAX + 1)), "owner"),
        (ItemInput("Sosia\x00lisasi", "UPG"), "item"),
        (ItemInput("Sosialisasi", "Ketua\nUPG"), "owner"),
    ],
)
def test_bad_items_are_refused_by_field(upg, data, field):
    with pytest.raises(EvaluationRefused) as refused:
        evaluations.add_item(upg, "benturan", Q2, data)
    assert field in refused.value.errors
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpItem)) == 0


def test_bad_texts_and_statuses_are_refused(upg):
    with pytest.raises(EvaluationRefused):
        evaluations.save_evaluation(upg, "benturan", Q2, "x" * (evaluations.TEXT_MAX + 1))
    with pytest.raises(EvaluationRefused):
        evaluations.save_evaluation(upg, "benturan", Q2, "teks\x00")
    assert evaluations.get_evaluation("benturan", Q2) is None
    item = evaluations.add_item(upg, "benturan", Q2, ItemInput("Sosialisasi", "UPG"))
    with pytest.raises(EvaluationRefused) as refused:
        evaluations.update_item(upg, item, status="hilang", evidence="e" * (evaluations.EVIDENCE_MAX + 1), today=Q2.end)
    assert set(refused.value.errors) == {"status", "evidence"}
    assert item.status == "terbuka" and item.evidence == ""


def test_items_are_carried_forward_while_open_and_status_at_a_day(upg):
    done_in_q2 = evaluations.add_item(
        upg, "benturan", Q1, ItemInput("Perbarui pemetaan", "Ketua UPG", date(2026, 4, 30))
    )
    still_open = evaluations.add_item(upg, "benturan", Q1, ItemInput("Sosialisasi bidang teknis", "Sekretaris UPG"))
    done_in_q1 = evaluations.add_item(upg, "benturan", Q1, ItemInput("Formulir pernyataan", "UPG"))
    own_q3 = evaluations.add_item(upg, "benturan", Q3, ItemInput("Evaluasi atasan", "UPG"))
    evaluations.update_item(upg, done_in_q2, status="selesai", evidence="Pemetaan 2026 rev. 1", today=date(2026, 5, 4))
    evaluations.update_item(upg, done_in_q1, status="selesai", evidence="", today=date(2026, 3, 2))
    assert done_in_q2.done_on == date(2026, 5, 4) and done_in_q2.evidence == "Pemetaan 2026 rev. 1"

    assert evaluations.items_for("benturan", Q1) == [done_in_q2, still_open, done_in_q1]
    # Q2: both items open when it began come along (one done during it), the one done in Q1 does not.
    assert evaluations.items_for("benturan", Q2) == [done_in_q2, still_open]
    assert all(evaluations.is_carried("benturan", item, Q2) for item in (done_in_q2, still_open))
    # Q3: only the one still open, and its own.
    assert evaluations.items_for("benturan", Q3) == [still_open, own_q3]
    assert evaluations.is_carried("benturan", still_open, Q3) and not evaluations.is_carried("benturan", own_q3, Q3)
    # A year: its quarters' items, none carried from an earlier year.
    assert evaluations.items_for("benturan", YEAR) == [done_in_q2, still_open, done_in_q1, own_q3]
    assert not evaluations.is_carried("benturan", still_open, YEAR)
    # As of a day: done only from the day it was done.
    assert evaluations.status_at(done_in_q2, date(2026, 5, 3)) == "terbuka"
    assert evaluations.status_at(done_in_q2, date(2026, 5, 4)) == "selesai"
    # Opened again: no done day; marked done again: today's.
    evaluations.update_item(upg, done_in_q2, status="terbuka", evidence="", today=date(2026, 6, 1))
    assert done_in_q2.done_on is None and done_in_q2 in evaluations.items_for("benturan", Q3)


def test_other_scopes_items_stay_apart(upg):
    item = evaluations.add_item(upg, "benturan", Q2, ItemInput("Sosialisasi", "UPG"))
    stranger = FollowUpItem(scope="lain", period="2026-Q2", item="x", owner="y", status="terbuka", evidence="")
    _db.session.add(stranger)
    _db.session.flush()
    assert evaluations.items_for("benturan", Q2) == [item]
    assert evaluations.get_item("benturan", stranger.id) is None
    assert evaluations.get_item("benturan", item.id) is item


def test_every_write_is_audited(upg):
    evaluations.save_evaluation(upg, "benturan", Q2, "Teks.")
    item = evaluations.add_item(upg, "benturan", Q2, ItemInput("Rahasia butir", "UPG"))
    evaluations.update_item(upg, item, status="selesai", evidence="Rahasia bukti", today=Q2.end)
    entries = audit_actions()
    assert [e.action for e in entries] == [
        "benturan.evaluation_update",
        "benturan.follow_up_item_add",
        "benturan.follow_up_item_update",
    ]
    data = json.loads(entries[2].data)
    assert data["status"] == "selesai" and data["evidence_chars"] == len("Rahasia bukti")
    assert all("Rahasia" not in str(e.data) for e in entries)
