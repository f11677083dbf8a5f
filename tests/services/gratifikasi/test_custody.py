"""The custody register of entrusted gifts: add, update, exit (each audit-logged), refusals, the list."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from PIL import Image
from werkzeug.datastructures import FileStorage

from tests.factories import make_gratifikasi, make_user
from zi_public.extensions import db as _db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, GratifikasiCustody, Role
from zi_public.rules.gratifikasi import CustodyExit
from zi_public.security.uploads import UploadRejected
from zi_public.services.gratifikasi import custody
from zi_public.services.gratifikasi.custody import (
    ChangeInput,
    CustodyClosed,
    CustodyConflict,
    CustodyRefused,
    ExitInput,
    ItemInput,
)


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def item_input(**overrides) -> ItemInput:
    fields = {
        "received_from": "Budi Santoso",
        "received_on": date(2026, 11, 3),
        "description": "Parsel makanan\nsatu keranjang",
        "condition": "Baik, segel utuh",
        "storage_location": "Lemari UPG rak 2",
        "value": "Rp 750.000",
        "report_number": "",
    }
    fields.update(overrides)
    return ItemInput(**fields)


def actions() -> list[str]:
    return list(
        _db.session.scalars(
            sa.select(AuditEntry.action).where(AuditEntry.action.like("gratifikasi.custody%")).order_by(AuditEntry.id)
        )
    )


def test_add_update_exit_each_audited(db):
    upg = make_user(Role.UPG)
    today = today_jakarta()
    photo = FileStorage(io.BytesIO(jpeg_bytes()), filename="parsel.jpg", content_type="image/jpeg")
    item = custody.add_item(upg, item_input(received_on=today - timedelta(days=3)), [photo], today=today)
    assert item.value_idr == 750_000 and item.description == "Parsel makanan\nsatu keranjang"
    assert len(custody.attachments.originals(item)) == 1
    version = custody.item_version(item)
    changed = custody.update_item(upg, item, ChangeInput("Parsel makanan", "Baik", "Brankas UPG"), version=version)
    assert changed == ["description", "condition", "storage_location"]
    custody.read_item(upg, item)
    custody.record_exit(upg, item, ExitInput(today, "diserahkan_kpk", "BA-12/2026"), today=today)
    assert item.left_how == CustodyExit.DISERAHKAN_KPK and item.left_note == "BA-12/2026"
    assert actions() == [
        "gratifikasi.custody_add",
        "gratifikasi.custody_update",
        "gratifikasi.custody_read",
        "gratifikasi.custody_exit",
    ]
    # A closed item is neither edited nor leaves twice.
    with pytest.raises(CustodyClosed):
        custody.record_exit(upg, item, ExitInput(today, "dikembalikan"), today=today)
    with pytest.raises(CustodyClosed):
        custody.update_item(upg, item, ChangeInput("x"))
    assert len(actions()) == 4


def test_an_item_linked_to_a_report_by_its_number(db):
    upg = make_user(Role.UPG)
    filed = make_gratifikasi()
    item = custody.add_item(upg, item_input(report_number=filed.report.number.lower()), today=date(2026, 11, 30))
    assert item.report_id == filed.report.id
    with pytest.raises(CustodyRefused) as refused:
        custody.add_item(upg, item_input(report_number="GRT-2026-999999"), today=date(2026, 11, 30))
    assert "report_number" in refused.value.errors
    page = custody.list_items(state="all", search=filed.report.number[:8])
    assert [i.id for i in page.items] == [item.id]


def test_a_stale_save_is_refused(db):
    upg = make_user(Role.UPG)
    item = custody.add_item(upg, item_input(), today=date(2026, 11, 30))
    with pytest.raises(CustodyConflict):
        custody.update_item(upg, item, ChangeInput("Lain"), version="2020-01-01T00:00:00.000000")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_from": ""}, "received_from"),
        ({"received_from": "x" * 201}, "received_from"),
        ({"received_on": None}, "received_on"),
        ({"received_on": date(2099, 1, 1)}, "received_on"),
        ({"description": "a\x00b"}, "description"),
        ({"condition": "two\nlines"}, "condition"),
        ({"value": "seratus ribu"}, "value"),
        ({"value": "-5"}, "value"),
    ],
)
def test_refused_items_save_nothing(db, overrides, field):
    upg = make_user(Role.UPG)
    with pytest.raises(CustodyRefused) as refused:
        custody.add_item(upg, item_input(**overrides), today=date(2026, 11, 30))
    assert field in refused.value.errors
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiCustody)) == 0


def test_a_fake_image_is_refused_and_nothing_saved(db):
    upg = make_user(Role.UPG)
    fake = FileStorage(io.BytesIO(b"MZ\x90\x00 not an image"), filename="foto.jpg", content_type="image/jpeg")
    with pytest.raises(UploadRejected):
        custody.add_item(upg, item_input(), [fake], today=date(2026, 11, 30))
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(GratifikasiCustody)) == 0
    assert _db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (ExitInput(None, "dikembalikan"), "left_on"),
        (ExitInput(date(2026, 11, 1), "dikembalikan"), "left_on"),  # before it was received
        (ExitInput(date(2099, 1, 1), "dikembalikan"), "left_on"),
        (ExitInput(date(2026, 11, 20), "dibuang"), "left_how"),
        (ExitInput(date(2026, 11, 20), "dikembalikan", "a\x00"), "left_note"),
    ],
)
def test_refused_exits_leave_the_item_held(db, data, field):
    upg = make_user(Role.UPG)
    item = custody.add_item(upg, item_input(), today=date(2026, 11, 30))
    with pytest.raises(CustodyRefused) as refused:
        custody.record_exit(upg, item, data, today=date(2026, 11, 30))
    assert field in refused.value.errors
    assert item.left_on is None and item.left_how is None


@pytest.mark.parametrize("role", [Role.PIMPINAN, Role.PENGADUAN, Role.ADMIN])
def test_only_the_upg_writes(db, role):
    other = make_user(role)
    upg = make_user(Role.UPG)
    item = custody.add_item(upg, item_input(), today=date(2026, 11, 30))
    with pytest.raises(PermissionError):
        custody.add_item(other, item_input(), today=date(2026, 11, 30))
    with pytest.raises(PermissionError):
        custody.update_item(other, item, ChangeInput("x"))
    with pytest.raises(PermissionError):
        custody.record_exit(other, item, ExitInput(date(2026, 11, 30), "dikembalikan"), today=date(2026, 11, 30))


def test_the_list_filters_held_left_and_searches(db):
    upg = make_user(Role.UPG)
    held = custody.add_item(upg, item_input(description="Jam tangan"), today=date(2026, 11, 30))
    left = custody.add_item(upg, item_input(description="Batik 50%_x"), today=date(2026, 11, 30))
    custody.record_exit(upg, left, ExitInput(date(2026, 11, 20), "dikembalikan"), today=date(2026, 11, 30))
    assert [i.id for i in custody.list_items(state="held").items] == [held.id]
    assert [i.id for i in custody.list_items(state="left").items] == [left.id]
    assert [i.id for i in custody.list_items(state="all").items] == [left.id, held.id]
    assert [i.id for i in custody.list_items(state="all", search="50%_").items] == [left.id]
    assert custody.list_items(state="all", search="zzz").items == []
    assert [i.id for i in custody.items_in(date(2026, 11, 21), date(2026, 11, 30))] == [held.id]
