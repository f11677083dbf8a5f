"""Catalogue lookups, written once for every CatalogueMixin model (categories, bidang, layanan, next WBS ...)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from zi_public.models import Bidang, Category, Layanan
from zi_public.models.base import BilingualCatalogueMixin, CatalogueMixin
from zi_public.services import process_cache, reference

CATALOGUES = [Category, Bidang, Layanan]


def test_the_catalogue_tables_share_one_shape():
    for model, name_length, english in [(Category, 120, True), (Bidang, 160, True), (Layanan, 200, True)]:
        assert issubclass(model, CatalogueMixin)
        assert issubclass(model, BilingualCatalogueMixin) is english
        columns = model.__table__.c
        assert columns["name"].type.length == name_length
        assert ("name_en" in columns) is english
        assert columns["code"].unique and columns["id"].primary_key
        assert list(columns.keys())[:3] == ["id", "code", "name"]
        assert list(columns.keys())[-2:] == ["sort_order", "is_active"]


@pytest.mark.parametrize("model", CATALOGUES)
def test_active_rows_in_catalogue_order_and_every_row_for_filters(db, model):
    rows = {
        code: model(code=code, name=code.title(), sort_order=order, is_active=active)
        for code, order, active in [("c", 1, True), ("a", 2, True), ("retired", 0, False), ("b", 1, True)]
    }
    db.session.add_all(rows.values())
    db.session.flush()
    assert [r.code for r in reference.active(model)] == ["c", "b", "a"]  # sort_order, then id
    assert [r.code for r in reference.every_row(model)] == ["retired", "c", "b", "a"]
    assert reference.active_by_code(model, "a") is rows["a"]
    for code in ("retired", "unknown", "", None):
        assert reference.active_by_code(model, code) is None


def test_localized_name_falls_back_to_indonesian(db):
    with_english = Category(code="biaya", name="Biaya/tarif", name_en="Fees")
    without = Category(code="lain", name="Lain-lain", name_en="")
    staff_only = Bidang(code="sekretariat", name="Sekretariat")
    assert reference.localized_name(with_english, "en") == "Fees"
    assert reference.localized_name(with_english, "id") == "Biaya/tarif"
    assert reference.localized_name(without, "en") == "Lain-lain"
    assert reference.localized_name(staff_only, "en") == "Sekretariat"


@pytest.mark.parametrize("locale", ["id", "en"])
def test_the_sql_twin_of_localized_name_names_each_row_alike(db, locale):
    db.session.add_all(
        [
            Category(code="biaya", name="Biaya/tarif", name_en="Fees"),
            Category(code="lain", name="Lain-lain", name_en=""),
            Bidang(code="sekretariat", name="Sekretariat"),
        ]
    )
    db.session.flush()
    for model in (Category, Bidang):
        in_sql = dict(db.session.execute(sa.select(model.code, reference.localized_name_sql(model, locale))).all())
        in_python = {row.code: reference.localized_name(row, locale) for row in db.session.scalars(sa.select(model))}
        assert in_sql == in_python


def test_the_form_lists_are_the_active_rows(db, seeded):
    assert reference.active_categories() == reference.active(Category)
    assert reference.active_layanan() == reference.active(Layanan)
    assert len(reference.active_categories()) == 11


@pytest.mark.parametrize("model", CATALOGUES)
def test_a_row_looked_up_by_code_is_read_once_a_minute_and_retired_at_once_here(db, model, monkeypatch):
    db.session.add(model(code="x", name="X", sort_order=0))
    db.session.commit()
    first = reference.active_by_code(model, "x")
    assert (first.code, first.name) == ("x", "X")
    db.session.commit()
    with db.engine.begin() as other:  # another process renames it: this one keeps its copy for a minute
        other.execute(sa.update(model).where(model.code == "x").values(name="Renamed"))
    db.session.expunge_all()
    again = reference.active_by_code(model, "x")
    assert again.name == "X" and again in db.session  # a row of this session, read without a query
    later = process_cache.time.monotonic() + 61
    monkeypatch.setattr(process_cache.time, "monotonic", lambda: later)
    db.session.expunge_all()
    assert reference.active_by_code(model, "x").name == "Renamed"
    # Retired in this process: refused at once, also inside the transaction that retires it.
    db.session.scalar(sa.select(model).where(model.code == "x")).is_active = False
    db.session.flush()
    assert reference.active_by_code(model, "x") is None
    db.session.commit()
    assert reference.active_by_code(model, "x") is None

@pytest.mark.parametrize("code", ["pbg\x00", "\x00", "x" * 41, "pbg\n"])
def test_a_code_no_catalogue_holds_is_none_without_a_query_error(seeded, code):
    with seeded.app_context():
        assert reference.active_by_code(Layanan, code) is None
        assert reference.active_by_code(Layanan, "pbg") is not None


def test_a_layanan_by_code_or_name_the_code_first_a_shared_name_refused(db):
    rows = {
        code: Layanan(code=code, name=name, name_en=name_en, sort_order=order, is_active=active)
        for code, name, name_en, order, active in [
            ("pbg", "Persetujuan Bangunan Gedung (PBG)", "Building Approval", 0, True),
            ("slf", "Sertifikat Laik Fungsi", "pbg", 1, True),  # an English name that is another row's code
            ("reklame-a", "Izin Reklame", "", 2, True),
            ("reklame-b", "Izin reklame", "Billboard Permit", 3, True),  # the same name, another case
            ("lama", "Izin Gangguan", "Nuisance Permit", 4, False),
        ]
    }
    db.session.add_all(rows.values())
    db.session.flush()
    active = reference.by_code_or_name(Layanan, include_retired=False)
    every = reference.by_code_or_name(Layanan, include_retired=True)
    assert active.rows == reference.active(Layanan) and every.rows == reference.every_row(Layanan)
    assert active.find(" PBG ") is rows["pbg"]  # the code wins over the other row's English name
    assert active.find("persetujuan bangunan gedung pbg") is rows["pbg"]  # case, spacing, punctuation ignored
    assert active.find("Building  approval") is rows["pbg"]
    assert active.find("billboard permit") is rows["reklame-b"]
    assert active.find("Izin Gangguan") is None and every.find("Izin Gangguan") is rows["lama"]
    assert every.find("lama") is rows["lama"]
    for nothing in ("", "  ", "--", "Tidak ada"):
        assert every.find(nothing) is None
    with pytest.raises(reference.AmbiguousName) as shared:
        every.find("IZIN REKLAME")
    assert shared.value.codes == ["reklame-a", "reklame-b"]
