"""The Tim SKM's pages: results with the population and the weighting switch, the population form and import,
the follow-up items with evidence; the pimpinan reads, nobody else gets in; bad input never half-saves."""

from __future__ import annotations

import io
import json
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PDF, make_skm_responses, make_user
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import Attachment, AuditEntry, Layanan, Role, SkmFollowUpItem, SkmPopulation
from zi_public.rules.periods import QUARTER, period_of, previous
from zi_public.services.skm import follow_up
from zi_public.services.skm.follow_up import ItemInput
from zi_public.services.skm.settings import legacy_weighting

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf(client, url: str) -> str:
    match = CSRF.search(client.get(url).get_data(as_text=True))
    return match.group(1) if match else ""


def layanan_id(code: str) -> int:
    return db.session.scalar(sa.select(Layanan.id).where(Layanan.code == code))


def audit_actions(prefix: str) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like(f"{prefix}%"))))


@pytest.fixture
def quarter():
    return period_of(QUARTER, today_jakarta())


def test_results_show_ikm_nrr_layanan_and_sample(seeded, client, login_as):
    last = previous(period_of(QUARTER, today_jakarta()))
    with seeded.app_context():
        make_skm_responses([[4] * 9, [3, 3, 3, 3, 3, 3, 3, 3, 2]], layanan="pbg", on=last.start)
        db.session.add(SkmPopulation(year=last.year, quarter=last.index, layanan_id=layanan_id("pbg"), served=2))
        db.session.commit()
    login_as("skm")
    page = client.get(f"/internal/skm/hasil?period={last.code}").get_data(as_text=True)
    # IKM = mean of NRR × 25 = (8×3.5 + 3) / 9 × 25 = 86.11 (B); U9's NRR 3.000.
    assert "86,11" in page and "Persetujuan Bangunan Gedung" in page
    assert "3,000" in page and "3,500" in page
    assert "Sampel mencukupi" in page  # N = 2 → minimum 2
    assert 'name="n' in page  # the quarter's population form, for the Tim SKM
    year = client.get(f"/internal/skm/hasil?period={last.year}")
    assert year.status_code == 200


def test_bad_period_or_day_is_a_message_not_an_error(seeded, client, login_as):
    login_as("skm")
    for url in (
        "/internal/skm/hasil?period=2026-13",
        "/internal/skm/hasil?as_of=kemarin",
        "/internal/skm/hasil?period=" + "9" * 500,
    ):
        response = client.get(url)
        assert response.status_code == 400
        assert "tidak valid" in response.get_data(as_text=True)
    assert client.get("/internal/skm/populasi?period=2026-S1").status_code == 400
    assert client.get("/internal/skm/tindak-lanjut?period=x").status_code == 400
    assert client.post("/internal/skm/populasi/2026-S1", data={}).status_code == 404


def test_the_legacy_switch_is_labelled_and_audited(seeded, client, login_as):
    login_as("skm")
    page = client.get("/internal/skm/hasil").get_data(as_text=True)
    assert "Bobot 1/9 per unsur" in page and "Bobot lama 0,111" in page
    assert client.post("/internal/skm/pembobotan", data={"weighting": "legacy"}).status_code == 302
    with seeded.app_context():
        assert legacy_weighting() is True
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.target_id == "skm_legacy_weight")).one()
        assert json.loads(entry.data) == {"from": False, "to": True}
    assert client.post("/internal/skm/pembobotan", data={"weighting": "palsu"}).status_code == 400
    with seeded.app_context():
        assert legacy_weighting() is True


def test_population_form_saves_all_or_nothing_and_keeps_what_was_typed(seeded, client, login_as, quarter):
    login_as("skm")
    with seeded.app_context():
        pbg, slf, kkpr = layanan_id("pbg"), layanan_id("slf"), layanan_id("kkpr")
    url = f"/internal/skm/populasi/{quarter.code}"
    response = client.post(url, data={f"n{pbg}": "1.250", f"n{slf}": "-3", f"n{kkpr}": "sepuluh"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'value="1.250"' in page and 'value="-3"' in page and 'value="sepuluh"' in page
    assert "negatif" in page and "bilangan bulat" in page
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmPopulation)) == 0
        assert audit_actions("skm.population") == []
    huge = client.post(url, data={f"n{pbg}": "9" * 5000})
    assert huge.status_code == 400
    nul = client.post(url, data={f"n{pbg}": "12\x00"})
    assert nul.status_code == 400
    response = client.post(url + "?from=results", data={f"n{pbg}": "1.250", f"n{slf}": "40", f"n{kkpr}": ""})
    assert response.status_code == 302 and "/internal/skm/hasil" in response.headers["Location"]
    with seeded.app_context():
        rows = dict(db.session.execute(sa.select(SkmPopulation.layanan_id, SkmPopulation.served)).tuples().all())
        assert rows == {pbg: 1250, slf: 40}
        assert audit_actions("skm.population") == ["skm.population_set"] * 2
    page = client.get(f"/internal/skm/populasi?period={quarter.code}").get_data(as_text=True)
    assert "1290" in page


def test_population_import_lists_problems_by_row_and_imports_nothing(seeded, client, login_as, quarter):
    login_as("skm")
    url = f"/internal/skm/populasi/{quarter.code}/impor"
    bad = b"kode_layanan,jumlah_dilayani\npbg,10\ntidak-ada,5\nslf,-1\n"
    response = client.post(url, data={"file": (io.BytesIO(bad), "q.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Layanan tidak dikenal: tidak-ada." in page and "negatif" in page
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmPopulation)) == 0
    response = client.post(url, data={}, content_type="multipart/form-data")
    assert response.status_code == 400 and "Pilih berkas" in response.get_data(as_text=True)
    good = b"kode_layanan;jumlah_dilayani\npbg;10\nslf;5\n"
    response = client.post(url, data={"file": (io.BytesIO(good), "q.csv")}, content_type="multipart/form-data")
    assert response.status_code == 302
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.sum(SkmPopulation.served))) == 15
        assert "skm.population_import" in audit_actions("skm.population")
    template = client.get(f"/internal/skm/populasi/{quarter.code}/templat.xlsx")
    assert template.status_code == 200 and template.data.startswith(b"PK")


def test_follow_up_create_edit_with_evidence_and_carry(seeded, client, login_as, quarter):
    login_as("skm")
    with seeded.app_context():
        make_skm_responses([[4, 4, 2, 4, 4, 4, 4, 4, 4]], on=quarter.start)
        db.session.commit()
    page = client.get(f"/internal/skm/tindak-lanjut?period={quarter.code}").get_data(as_text=True)
    assert "Waktu Penyelesaian" in page and '<option selected value="U3">' in page  # the weakest unsur, suggested
    form = {
        "unsur": "U3",
        "layanan": "pbg",
        "action": "Percepat verifikasi berkas",
        "owner": "Kabid Perizinan B",
        "due_on": quarter.end.isoformat(),
        "files": [(io.BytesIO(PDF), "rencana.pdf")],
    }
    response = client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    with seeded.app_context():
        item = db.session.scalars(sa.select(SkmFollowUpItem)).one()
        item_id, attachment_id = item.id, item.attachments[0].id
    item_page = client.get(f"/internal/skm/tindak-lanjut/butir/{item_id}").get_data(as_text=True)
    assert "rencana.pdf" in item_page and "Percepat verifikasi berkas" in item_page
    download = client.get(f"/internal/skm/tindak-lanjut/butir/{item_id}/bukti/{attachment_id}")
    assert download.status_code == 200 and download.data == PDF
    version = re.search(r'name="version" type="hidden" value="([^"]*)"', item_page).group(1)
    update = {**form, "files": [], "progress": "Loket khusus dibuka", "version": version}
    response = client.post(
        f"/internal/skm/tindak-lanjut/butir/{item_id}/simpan", data=update, content_type="multipart/form-data"
    )
    assert response.status_code == 302
    stale = client.post(
        f"/internal/skm/tindak-lanjut/butir/{item_id}/simpan",
        data={**update, "progress": "lain"},
        content_type="multipart/form-data",
    )
    assert stale.status_code == 409 and "lain" in stale.get_data(as_text=True)
    nxt = period_of(QUARTER, quarter.end + timedelta(days=1))
    carried = client.get(f"/internal/skm/tindak-lanjut?period={nxt.code}").get_data(as_text=True)
    assert f"dibawa dari {quarter.label_id}" in carried
    with seeded.app_context():
        assert db.session.get(SkmFollowUpItem, item_id).progress == "Loket khusus dibuka"
        assert audit_actions("skm.follow_up") == ["skm.follow_up_add", "skm.follow_up_update"]
        assert "skm.attachment_download" in audit_actions("skm.attachment")


@pytest.mark.parametrize(
    ("change", "field_message"),
    [
        ({"unsur": "U10"}, "Pilih unsur."),
        ({"action": ""}, "Wajib diisi."),
        ({"owner": "x" * 500}, "Paling banyak 160 karakter."),
        ({"due_on": "31/12/2026"}, "Tulis tanggal seperti 2026-12-31."),
        ({"done_on": "2999-01-01"}, "tidak boleh setelah hari ini"),
        ({"layanan": "tidak-ada"}, "Layanan tidak dikenal."),
        ({"action": "rencana\x00"}, "tidak dapat dibaca"),
    ],
)
def test_follow_up_bad_input_keeps_what_was_typed(seeded, client, login_as, quarter, change, field_message):
    login_as("skm")
    form = {
        "unsur": "U3",
        "action": "Rencana panjang yang diketik",
        "owner": "Kabid",
        "progress": "Sudah dimulai",
        **change,
    }
    response = client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_message in page
    assert "Sudah dimulai" in page
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == 0


def test_a_file_that_is_not_evidence_stores_nothing(seeded, client, login_as, quarter):
    login_as("skm")
    form = {"unsur": "U3", "action": "Rencana", "owner": "Kabid", "files": [(io.BytesIO(b"MZ\x90\x00"), "a.exe")]}
    response = client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data=form, content_type="multipart/form-data")
    assert response.status_code == 400 and "Rencana" in response.get_data(as_text=True)
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0


def test_the_pimpinan_reads_but_writes_nothing(seeded, client, login_as, quarter):
    with seeded.app_context():
        member = make_user(role=Role.SKM)
        item = follow_up.create_item(
            member, quarter, ItemInput("U1", "Sederhanakan persyaratan", "Kabid"), today=today_jakarta()
        )
        db.session.commit()
        item_id = item.id
    login_as("pimpinan")
    for url in (
        "/internal/skm/hasil",
        "/internal/skm/populasi",
        "/internal/skm/tindak-lanjut",
        f"/internal/skm/tindak-lanjut/butir/{item_id}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert '<form method="post" action="/internal/skm' not in response.get_data(as_text=True), url
    assert client.post("/internal/skm/pembobotan", data={"weighting": "legacy"}).status_code == 403
    assert client.post(f"/internal/skm/tindak-lanjut/butir/{item_id}/simpan", data={"owner": "x"}).status_code == 403
    assert client.get(f"/internal/skm/populasi/{quarter.code}/templat.xlsx").status_code == 403


@pytest.mark.parametrize("role", [Role.ADMIN, Role.PENGADUAN, Role.WBS, Role.UPG])
def test_other_roles_are_refused(seeded, client, login_as, role):
    login_as(role)
    for url in ("/internal/skm/hasil", "/internal/skm/populasi", "/internal/skm/tindak-lanjut"):
        assert client.get(url).status_code == 403


def test_dates_in_the_page_are_dates(seeded, client, login_as):
    """A created_at before the day keeps items_for's cut-off honest; here: the as_of field round-trips."""
    login_as("skm")
    day = date(2026, 3, 20)
    page = client.get(f"/internal/skm/hasil?period=2026-Q1&as_of={day.isoformat()}").get_data(as_text=True)
    assert 'value="2026-03-20"' in page


def test_missing_fields_and_broken_encodings_never_500_nor_save(seeded, client, login_as, quarter):
    login_as("skm")
    with seeded.app_context():
        pbg = layanan_id("pbg")
    empty = client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data={})
    assert empty.status_code == 400 and "Wajib diisi." in empty.get_data(as_text=True)
    raw = b"unsur=U3&action=Rencana \xff\xfe&owner=Kabid"  # not UTF-8: the form arrives empty
    broken = client.post(
        f"/internal/skm/tindak-lanjut/{quarter.code}", data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert broken.status_code == 400 and "Wajib diisi." in broken.get_data(as_text=True)
    number = client.post(
        f"/internal/skm/populasi/{quarter.code}",
        data=f"n{pbg}=%FF%FE".encode(),
        content_type="application/x-www-form-urlencoded",
    )
    assert number.status_code == 400
    lists = client.post(f"/internal/skm/populasi/{quarter.code}", data={f"n{pbg}": ["1", "2"], "n999999": "5"})
    assert lists.status_code == 302  # the first value of a repeated field; an unknown field is ignored
    assert client.post(f"/internal/skm/populasi/{quarter.code}", data={}).status_code == 302  # nothing sent: unchanged
    with seeded.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SkmFollowUpItem)) == 0
        assert db.session.scalar(sa.select(SkmPopulation.served)) == 1


def test_the_follow_up_list_pages_by_id(seeded, client, login_as, quarter):
    with seeded.app_context():
        member = make_user(role=Role.SKM)
        for n in range(follow_up.PAGE_SIZE + 2):
            follow_up.create_item(
                member, quarter, ItemInput("U1", f"Rencana nomor {n}", "Kabid"), today=today_jakarta()
            )
        db.session.commit()
    login_as("pimpinan")
    first = client.get(f"/internal/skm/tindak-lanjut?period={quarter.code}").get_data(as_text=True)
    assert "Rencana nomor 31" in first and "Rencana nomor 0<" not in first
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(following).get_data(as_text=True)
    assert "Rencana nomor 0<" in second and "Rencana nomor 1<" in second and "Rencana nomor 31" not in second


def test_the_english_pages_name_the_periods_in_english(seeded, client, login_as, quarter):
    """Periods were shown by their Indonesian name (Period.label_id) on the English pages of the Tim SKM."""
    login_as("skm")
    client.set_cookie("zi_lang", "en")
    roman = ("I", "II", "III", "IV")[quarter.index - 1]
    for url in ("/internal/", "/internal/skm/hasil", "/internal/skm/populasi", "/internal/skm/tindak-lanjut"):
        html = client.get(url).get_data(as_text=True)
        assert f"Quarter {roman} {quarter.year}" in html, url
        assert "Triwulan" not in html, url


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("id", "Batas waktu tidak boleh sebelum Triwulan {roman} {year}."),
        ("en", "The due date may not be before Quarter {roman} {year}."),
    ],
)
def test_a_due_date_before_the_quarter_names_it_in_the_page_language(
    seeded, client, login_as, quarter, language, message
):
    """The refusal named the quarter by its Indonesian name (Period.label_id) on the English page too."""
    login_as("skm")
    client.set_cookie("zi_lang", language)
    form = {
        "unsur": "U3",
        "action": "Rencana",
        "owner": "Kabid",
        "due_on": (quarter.start - timedelta(days=1)).isoformat(),
    }
    response = client.post(f"/internal/skm/tindak-lanjut/{quarter.code}", data=form)
    roman = ("I", "II", "III", "IV")[quarter.index - 1]
    assert response.status_code == 400
    assert message.format(roman=roman, year=quarter.year) in response.get_data(as_text=True)


def test_the_weighted_nrr_follows_the_office_weighting(seeded, client, login_as):
    # NRR 79/20 = 3.95 per unsur: × 1/9 = 0.43889 → 0,439; × 0.111 = 0.43845 → 0,438.
    last = previous(period_of(QUARTER, today_jakarta()))
    with seeded.app_context():
        make_skm_responses([[4] * 9] * 19 + [[3] * 9], layanan="pbg", on=last.start)
        db.session.commit()
    login_as("skm")
    exact = client.get(f"/internal/skm/hasil?period={last.code}").get_data(as_text=True)
    assert "0,439" in exact and "0,438" not in exact
    assert client.post("/internal/skm/pembobotan", data={"weighting": "legacy"}).status_code == 302
    legacy = client.get(f"/internal/skm/hasil?period={last.code}").get_data(as_text=True)
    assert "0,438" in legacy and "0,439" not in legacy
