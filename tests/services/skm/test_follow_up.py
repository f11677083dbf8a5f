"""SKM follow-up items: carried into every later period until done, validated all or nothing, evidence files
as attachments of kind "skm", every write audit-logged; the weakest unsur as the suggestion."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from fractions import Fraction

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from tests.factories import PDF, make_skm_responses, make_user
from zi_public.extensions import db
from zi_public.models import Attachment, AuditEntry, Role, SkmFollowUpItem
from zi_public.rules.periods import parse_period
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.skm import follow_up
from zi_public.services.skm.follow_up import FollowUpConflict, FollowUpRefused, ItemInput

TODAY = date(2026, 11, 20)


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.SKM)


def item_input(**overrides) -> ItemInput:
    values = {"unsur": "U3", "action": "Percepat verifikasi berkas PBG", "owner": "Kabid Perizinan B"}
    return ItemInput(**{**values, **overrides})


def add(member, period: str = "2026-Q1", **overrides) -> SkmFollowUpItem:
    return follow_up.create_item(member, parse_period(period), item_input(**overrides), today=TODAY)


def pdf(name: str = "bukti.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name)


def shown(period: str, **kwargs) -> list[tuple[int, bool]]:
    p = parse_period(period)
    return [(item.id, item.is_carried(p)) for item in follow_up.items_for(p, **kwargs)]


def actions() -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("skm.follow_up%"))))


def test_an_open_item_is_carried_forward_until_done(member):
    q1 = add(member, "2026-Q1")
    q2 = add(member, "2026-Q2", unsur="U8")
    assert shown("2026-Q1") == [(q1.id, False)]
    assert shown("2026-Q2") == [(q1.id, True), (q2.id, False)]
    assert shown("2026-Q4") == [(q1.id, True), (q2.id, True)]
    assert shown("2027-Q1") == [(q1.id, True), (q2.id, True)]
    assert q1.set_in.label_id == "Triwulan I 2026"
    follow_up.update_item(member, q1, item_input(done_on=date(2026, 8, 3)), today=TODAY)
    assert shown("2026-Q3") == [(q1.id, True), (q2.id, True)]  # done during Q3: still shown, as done
    assert shown("2026-Q4") == [(q2.id, True)]  # done before Q4 began
    assert shown("2025-Q4") == []  # never shown before the quarter that set it


def test_semester_and_year_show_their_own_and_carried_items(member):
    old = add(member, "2025-Q4")
    q2 = add(member, "2026-Q2")
    q3 = add(member, "2026-Q3")
    assert shown("2026-S1") == [(old.id, True), (q2.id, False)]
    assert shown("2026-S2") == [(old.id, True), (q2.id, True), (q3.id, False)]
    assert shown("2026") == [(old.id, True), (q2.id, False), (q3.id, False)]


def test_as_of_leaves_out_items_recorded_later(member):
    early, late = add(member, "2026-Q1"), add(member, "2026-Q1")
    early.created_at = datetime(2026, 3, 20, 3)
    late.created_at = datetime(2026, 4, 2, 3)
    db.session.flush()
    assert [i for i, _ in shown("2026-Q1", as_of=date(2026, 3, 31))] == [early.id]
    assert [i for i, _ in shown("2026-Q1")] == [early.id, late.id]
    assert follow_up.is_done_on(early, TODAY) is False


def test_create_and_update_are_audited_with_the_changes(member):
    item = add(member, "2026-Q3", layanan="pbg", due_on=date(2026, 12, 31))
    assert item.layanan.code == "pbg"
    changed = follow_up.update_item(
        member,
        item,
        item_input(layanan="pbg", due_on=date(2026, 12, 31), progress="50% berkas", owner="Tim B"),
        today=TODAY,
    )
    assert sorted(changed) == ["owner", "progress"]
    assert (
        follow_up.update_item(
            member,
            item,
            item_input(layanan="pbg", due_on=date(2026, 12, 31), progress="50% berkas", owner="Tim B"),
            today=TODAY,
        )
        == []
    )
    assert actions() == ["skm.follow_up_add", "skm.follow_up_update"]
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "skm.follow_up_update")).one()
    assert json.loads(entry.data)["changes"]["owner"] == {"from": "Kabid Perizinan B", "to": "Tim B"}
    assert entry.actor_id == member.id and entry.target_type == "skm_follow_up_item"


def test_evidence_files_are_attachments_of_kind_skm(member):
    item = follow_up.create_item(member, parse_period("2026-Q3"), item_input(), [pdf()], today=TODAY)
    changed = follow_up.update_item(member, item, item_input(), [pdf("foto.pdf")], today=TODAY)
    assert changed == ["files"]
    assert [(a.case_kind, a.original_name) for a in attachments.originals(item)] == [
        ("skm", "bukti.pdf"),
        ("skm", "foto.pdf"),
    ]
    assert attachments.read("skm", item.id, item.attachments[0].id).data == PDF


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unsur": "U0"}, "unsur"),
        ({"unsur": ""}, "unsur"),
        ({"action": "   "}, "action"),
        ({"action": "\u200b"}, "action"),
        ({"action": "x" * (follow_up.ACTION_MAX + 1)}, "action"),
        ({"owner": ""}, "owner"),
        ({"owner": "Tim\nB"}, "owner"),
        ({"owner": "Tim \x07B"}, "owner"),
        ({"progress": "p" * (follow_up.PROGRESS_MAX + 1)}, "progress"),
        ({"evidence": "\ufffd"}, "evidence"),
        ({"layanan": "tidak-ada"}, "layanan"),
        ({"due_on": date(2026, 6, 30)}, "due_on"),
        ({"done_on": date(2026, 11, 21)}, "done_on"),
        ({"done_on": date(2026, 1, 1)}, "done_on"),
    ],
)
def test_bad_input_stores_nothing(member, overrides, field):
    with pytest.raises(FollowUpRefused) as refused:
        follow_up.create_item(member, parse_period("2026-Q3"), item_input(**overrides), [pdf()], today=TODAY)
    assert field in refused.value.errors
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0
    assert actions() == []


def test_a_refused_update_changes_nothing(member):
    item = add(member, "2026-Q3")
    with pytest.raises(FollowUpRefused):
        follow_up.update_item(member, item, item_input(owner="", progress="baru"), [pdf()], today=TODAY)
    db.session.refresh(item)
    assert (item.owner, item.progress, len(item.attachments)) == ("Kabid Perizinan B", "", 0)
    assert actions() == ["skm.follow_up_add"]


def test_bad_files_store_nothing(member):
    with pytest.raises(UploadRejected):
        follow_up.create_item(member, parse_period("2026-Q3"), item_input(), [pdf()] * 6, today=TODAY)
    with pytest.raises(UploadRejected):
        follow_up.create_item(
            member,
            parse_period("2026-Q3"),
            item_input(),
            [FileStorage(io.BytesIO(b"MZ\x90\x00"), "a.exe")],
            today=TODAY,
        )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0
    assert actions() == []


def test_a_save_over_a_colleagues_is_refused(member):
    item = add(member, "2026-Q3")
    opened = follow_up.item_version(item)
    follow_up.update_item(member, item, item_input(progress="dimulai"), today=TODAY, version=opened)
    with pytest.raises(FollowUpConflict):
        follow_up.update_item(member, item, item_input(progress="lain"), today=TODAY, version=opened)
    assert item.progress == "dimulai"


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.UPG])
def test_only_the_tim_skm_writes(seeded, db, role):
    other = make_user(role=role)
    with pytest.raises(PermissionError):
        add(other)


def test_only_quarters_set_items(member):
    with pytest.raises(ValueError):
        add(member, "2026-S1")


def test_the_weakest_unsur(seeded, db):
    assert follow_up.weakest_unsur(parse_period("2026-Q3")) is None
    make_skm_responses([[4, 4, 2, 4, 4, 4, 4, 3, 4], [4, 4, 3, 4, 4, 4, 4, 2, 4]], on=date(2026, 8, 1))
    make_skm_responses([[1] * 9], on=date(2026, 10, 1))  # another quarter
    weakest = follow_up.weakest_unsur(parse_period("2026-Q3"))
    assert (weakest.unsur, weakest.nrr, weakest.respondents, weakest.all_lowest) == (
        "U3",
        Fraction(5, 2),
        2,
        ("U3", "U8"),
    )
    assert follow_up.weakest_unsur(parse_period("2026-Q3"), as_of=date(2026, 7, 31)) is None
    assert follow_up.weakest_unsur(parse_period("2026")).respondents == 3
