"""services/evaluation_versions.py, final and versions: a final version locks its text and its items' wording, owner and
due date (the follow-up fields stay open), a new version archives the final one as it was, every step is audited
without the text; the semester monev's scope (pengaduan_monev) and a first save racing a colleague's."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db as _db
from zi_public.models import AuditEntry, FollowUpItem, PeriodEvaluation, PeriodEvaluationVersion, Role
from zi_public.rules.periods import parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import EvaluationConflict, EvaluationLocked, EvaluationRefused, ItemInput

SCOPE = "pengaduan_monev"
S1, S2 = parse_period("2026-S1"), parse_period("2026-S2")


@pytest.fixture
def team(db):
    return make_user(role=Role.PENGADUAN, username="tim")


def count(model) -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_monev_scope_is_the_teams_semester():
    scope = evaluations.scope_of(SCOPE)
    assert (scope.role, scope.period_kind) == (Role.PENGADUAN, "semester")
    assert evaluations.period_codes(SCOPE, parse_period("2026")) == ["2026-S1", "2026-S2"]


def test_a_final_version_locks_text_and_items_but_not_their_follow_up(team):
    evaluations.save_evaluation(team, SCOPE, S2, "Verifikasi lambat.")
    item = evaluations.add_item(team, SCOPE, S2, ItemInput("Piket harian", "Ketua tim", date(2027, 3, 31)))
    final = evaluation_versions.mark_final(
        team, SCOPE, S2, version=evaluations.evaluation_version(evaluations.get_evaluation(SCOPE, S2))
    )
    assert final.is_final and final.finalized_by_id == team.id

    with pytest.raises(EvaluationLocked) as locked:
        evaluations.save_evaluation(team, SCOPE, S2, "Diubah.")
    assert "text" in locked.value.errors
    with pytest.raises(EvaluationLocked):
        evaluations.add_item(team, SCOPE, S2, ItemInput("Tambahan", "Tim"))
    with pytest.raises(EvaluationLocked):
        evaluations.edit_item(team, item, ItemInput("Diubah", "Orang lain", None))
    with pytest.raises(EvaluationLocked):
        evaluation_versions.mark_final(team, SCOPE, S2)
    assert (final.text, item.item, item.owner, item.due_on) == ("Verifikasi lambat.", "Piket harian", "Ketua tim",
                                                               date(2027, 3, 31))  # fmt: skip
    assert count(FollowUpItem) == 1
    # Tracked in the following semester: status, the day it was done, evidence.
    evaluations.update_item(team, item, status="selesai", evidence="Jadwal piket", today=date(2027, 1, 20))
    assert (item.status, item.done_on, item.evidence) == ("selesai", date(2027, 1, 20), "Jadwal piket")


def test_nothing_to_mark_final_without_a_text_and_no_new_version_of_a_draft(team):
    with pytest.raises(EvaluationRefused) as refused:
        evaluation_versions.mark_final(team, SCOPE, S2)
    assert "text" in refused.value.errors
    evaluations.save_evaluation(team, SCOPE, S2, "  ")
    with pytest.raises(EvaluationRefused):
        evaluation_versions.mark_final(team, SCOPE, S2)
    evaluations.save_evaluation(team, SCOPE, S2, "Teks.")
    with pytest.raises(EvaluationRefused) as draft:
        evaluation_versions.new_version(team, SCOPE, S2)
    assert "version" in draft.value.errors and not isinstance(draft.value, EvaluationLocked)
    assert not evaluations.get_evaluation(SCOPE, S2).is_final and count(PeriodEvaluationVersion) == 0


def test_a_stale_page_neither_marks_final_nor_opens_a_version(team):
    written = evaluations.save_evaluation(team, SCOPE, S2, "Teks.")
    opened = evaluations.evaluation_version(written)
    evaluations.save_evaluation(make_user(role=Role.PENGADUAN), SCOPE, S2, "Teks rekan.", version=opened)
    with pytest.raises(EvaluationConflict):
        evaluation_versions.mark_final(team, SCOPE, S2, version=opened)
    assert not written.is_final
    final = evaluation_versions.mark_final(team, SCOPE, S2)
    with pytest.raises(EvaluationConflict):
        evaluation_versions.new_version(team, SCOPE, S2, version=opened)
    assert final.is_final and final.version_no == 1


def test_a_new_version_keeps_the_final_one_as_it_was(team):
    evaluations.save_evaluation(team, SCOPE, S2, "Versi satu.")
    first = evaluations.add_item(team, SCOPE, S2, ItemInput("Piket harian", "Ketua tim", date(2027, 3, 31)))
    evaluation_versions.mark_final(team, SCOPE, S2)
    evaluations.update_item(team, first, status="selesai", evidence="Jadwal", today=date(2027, 1, 5))

    current = evaluation_versions.new_version(make_user(role=Role.PENGADUAN, username="rekan"), SCOPE, S2)
    assert (current.version_no, current.is_final, current.text) == (2, False, "Versi satu.")
    evaluations.save_evaluation(team, SCOPE, S2, "Versi dua.")
    evaluations.edit_item(team, first, ItemInput("Piket pagi", "Sekretaris", None))
    evaluations.add_item(team, SCOPE, S2, ItemInput("Survei pelapor", "Tim"))
    evaluation_versions.mark_final(team, SCOPE, S2)
    evaluation_versions.new_version(team, SCOPE, S2)

    v1, v2 = evaluation_versions.archived_versions(SCOPE, S2)
    assert (v1.version_no, v1.text, v2.version_no, v2.text) == (1, "Versi satu.", 2, "Versi dua.")
    first = evaluation_versions.archived_items(v1)
    assert [(i.item, i.owner, i.due_on, i.status, i.done_on, i.evidence) for i in first] == [
        ("Piket harian", "Ketua tim", date(2027, 3, 31), "selesai", date(2027, 1, 5), "Jadwal")
    ]
    assert [i.item for i in evaluation_versions.archived_items(v2)] == ["Piket pagi", "Survei pelapor"]
    assert evaluation_versions.get_archived_version(SCOPE, S2, 1) is v1
    assert evaluation_versions.get_archived_version(SCOPE, S2, 9) is None
    assert evaluations.get_evaluation(SCOPE, S2).version_no == 3
    assert v1.finalized_at <= v1.archived_at


def test_a_colleague_opening_the_same_version_first_is_a_conflict(team):
    evaluations.save_evaluation(team, SCOPE, S2, "Teks.")
    evaluation_versions.mark_final(team, SCOPE, S2)
    # The colleague's archive of version 1 landed between our look-up and our insert.
    _db.session.add(
        PeriodEvaluationVersion(
            scope=SCOPE, period=S2.code, version_no=1, text="Teks.", items="[]",
            finalized_at=evaluations.get_evaluation(SCOPE, S2).finalized_at,
        )
    )  # fmt: skip
    _db.session.flush()
    with pytest.raises(EvaluationConflict):
        evaluation_versions.new_version(team, SCOPE, S2)
    assert evaluations.get_evaluation(SCOPE, S2).version_no == 1 and count(PeriodEvaluationVersion) == 1


def test_editing_an_item_checks_it_like_adding_and_refuses_a_stale_page(team):
    item = evaluations.add_item(team, SCOPE, S2, ItemInput("Piket", "Ketua tim"))
    with pytest.raises(EvaluationRefused) as refused:
        evaluations.edit_item(team, item, ItemInput("", "Ketua\ntim"))
    assert set(refused.value.errors) == {"item", "owner"}
    opened = evaluations.item_version(item)
    evaluations.update_item(team, item, status="terbuka", evidence="Rapat", today=date(2026, 12, 1))
    with pytest.raises(EvaluationConflict):
        evaluations.edit_item(team, item, ItemInput("Piket pagi", "Ketua tim"), version=opened)
    assert (item.item, item.owner) == ("Piket", "Ketua tim")


@pytest.mark.parametrize("role", [r for r in Role if r != Role.PENGADUAN])
def test_only_the_team_marks_final_and_opens_versions(team, role):
    evaluations.save_evaluation(team, SCOPE, S2, "Teks.")
    item = evaluations.add_item(team, SCOPE, S2, ItemInput("Piket", "Ketua tim"))
    other = make_user(role=role)
    with pytest.raises(EvaluationRefused):
        evaluation_versions.mark_final(other, SCOPE, S2)
    with pytest.raises(EvaluationRefused):
        evaluations.edit_item(other, item, ItemInput("x", "y"))
    evaluation_versions.mark_final(team, SCOPE, S2)
    with pytest.raises(EvaluationRefused):
        evaluation_versions.new_version(other, SCOPE, S2)
    assert evaluations.get_evaluation(SCOPE, S2).version_no == 1 and item.item == "Piket"


def test_final_and_versions_are_audited_without_the_text(team):
    evaluations.save_evaluation(team, SCOPE, S2, "Rahasia teks.")
    item = evaluations.add_item(team, SCOPE, S2, ItemInput("Rahasia butir", "Tim"))
    evaluations.edit_item(team, item, ItemInput("Rahasia butir baru", "Tim", date(2027, 2, 1)))
    evaluation_versions.mark_final(team, SCOPE, S2)
    evaluation_versions.new_version(team, SCOPE, S2)
    entries = list(
        _db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like(SCOPE + ".%")).order_by(AuditEntry.id))
    )
    assert [e.action for e in entries] == [
        "pengaduan_monev.evaluation_update",
        "pengaduan_monev.follow_up_item_add",
        "pengaduan_monev.follow_up_item_edit",
        "pengaduan_monev.evaluation_finalize",
        "pengaduan_monev.evaluation_new_version",
    ]
    assert json.loads(entries[2].data)["fields"] == ["item", "due_on"]
    assert json.loads(entries[3].data) == {"items": 1, "version": 1}
    assert json.loads(entries[4].data) == {"archived": 1, "version": 2}
    assert entries[3].target_id == "pengaduan_monev/2026-S2" and entries[3].actor == "tim"
    assert all("Rahasia" not in e.data for e in entries)


def test_the_benturan_scope_has_versions_too(db):
    upg = make_user(role=Role.UPG)
    quarter = parse_period("2026-Q4")
    evaluations.save_evaluation(upg, "benturan", quarter, "Evaluasi triwulan.")
    evaluation_versions.mark_final(upg, "benturan", quarter)
    with pytest.raises(EvaluationLocked):
        evaluations.save_evaluation(upg, "benturan", quarter, "Diubah.")
    assert evaluation_versions.new_version(upg, "benturan", quarter).version_no == 2
    assert evaluations.get_evaluation(SCOPE, S2) is None  # the scopes stay apart


def test_a_first_text_saved_at_the_same_moment_as_a_colleagues_is_a_conflict_and_the_request_goes_on(team):
    # Simulates the colleague's insert landing between our look-up and our flush.
    with _db.session.no_autoflush:
        _db.session.add(PeriodEvaluation(scope=SCOPE, period=S2.code, text="Versi rekan"))
        with pytest.raises(EvaluationConflict):
            evaluations.save_evaluation(team, SCOPE, S2, "Versi saya")
    _db.session.commit()
    assert _db.session.scalars(sa.select(PeriodEvaluation.text)).all() == ["Versi rekan"]
    updates = sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "pengaduan_monev.evaluation_update")
    assert _db.session.scalar(updates) == 0
