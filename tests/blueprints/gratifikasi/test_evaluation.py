"""The UPG's quarterly evaluation page (/internal/gratifikasi/benturan/evaluasi): the figures, the text, the
follow-up items; the pimpinan reads; every broken POST answers 400 with its messages and saves nothing."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user, make_wbs
from zi_public.extensions import db
from zi_public.localtime import today_jakarta
from zi_public.models import AuditEntry, FollowUpItem, PeriodEvaluation, Role
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.rules.gratifikasi import Channel
from zi_public.rules.periods import QUARTER, period_of, previous
from zi_public.services import evaluations
from zi_public.services.evaluations import ItemInput

PAGE = "/internal/gratifikasi/benturan/evaluasi"


@pytest.fixture
def quarter():
    return period_of(QUARTER, today_jakarta())


def text_url(code: str) -> str:
    return f"{PAGE}/teks?period={code}"


def item_url(code: str) -> str:
    return f"{PAGE}/tindak-lanjut?period={code}"


def saved_counts(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(sa.select(sa.func.count()).select_from(PeriodEvaluation)),
            db.session.scalar(sa.select(sa.func.count()).select_from(FollowUpItem)),
        )


def add_item(app, period_code: str, text: str = "Sosialisasi bidang teknis") -> int:
    with app.app_context():
        upg = make_user(role=Role.UPG)
        from zi_public.rules.periods import parse_period

        item = evaluations.add_item(upg, "benturan", parse_period(period_code), ItemInput(text, "Ketua UPG"))
        db.session.commit()
        return item.id


def test_the_upg_writes_the_text_and_items_and_they_are_audited(seeded, client, login_as, quarter):
    login_as("upg")
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Evaluasi benturan kepentingan" in html and f'action="{PAGE}/teks?period={quarter.code}"' in html
    assert f"/internal/laporan/benturan-evaluasi.xlsx?period={quarter.code}" in html

    response = client.post(
        text_url(quarter.code), data={"text": "Pernyataan naik.\nSosialisasi kurang.", "version": ""}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(f"?period={quarter.code}")
    response = client.post(
        item_url(quarter.code), data={"item": "Sosialisasi bidang teknis", "owner": "Ketua UPG", "due_on": "2027-01-15"}
    )
    assert response.status_code == 302
    with seeded.app_context():
        item = db.session.scalars(sa.select(FollowUpItem)).one()
        item_id, version = item.id, evaluations.item_version(item)
        assert item.due_on == date(2027, 1, 15) and item.status == "terbuka"
    response = client.post(
        f"{PAGE}/tindak-lanjut/{item_id}?period={quarter.code}",
        data={"status": "selesai", "evidence": "Daftar hadir 12 Oktober", "version": version},
    )
    assert response.status_code == 302
    html = client.get(f"{PAGE}?period={quarter.code}").get_data(as_text=True)
    assert "Sosialisasi kurang." in html and "Daftar hadir 12 Oktober" in html and "Selesai" in html
    with seeded.app_context():
        item = db.session.get(FollowUpItem, item_id)
        assert item.status == "selesai" and item.done_on == today_jakarta()
        assert (
            db.session.get(PeriodEvaluation, ("benturan", quarter.code)).text == "Pernyataan naik.\nSosialisasi kurang."
        )
        entries = list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action.like("benturan.%"))))
        assert [e.action for e in entries] == [
            "benturan.evaluation_update",
            "benturan.follow_up_item_add",
            "benturan.follow_up_item_update",
        ]
        assert "Sosialisasi" not in " ".join(e.data for e in entries)


def test_the_pimpinan_reads_without_forms_and_cannot_write(seeded, client, login_as, quarter):
    item_id = add_item(seeded, quarter.code)
    login_as("pimpinan")
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Sosialisasi bidang teknis" in html
    assert "/teks?" not in html and f"/tindak-lanjut/{item_id}" not in html
    assert client.post(text_url(quarter.code), data={"text": "x", "version": ""}).status_code == 403
    assert client.post(f"{PAGE}/tindak-lanjut/{item_id}", data={"status": "selesai", "version": ""}).status_code == 403
    assert saved_counts(seeded) == (0, 1)
    # The export from the reports page.
    download = client.get(f"/internal/laporan/benturan-evaluasi.xlsx?period={quarter.code}")
    assert download.status_code == 200 and download.headers["Cache-Control"] == "no-store"


def test_other_roles_are_refused(seeded, client, login_as, quarter):
    login_as("wbs")
    assert client.get(PAGE).status_code == 403
    assert client.post(text_url(quarter.code), data={"text": "x", "version": ""}).status_code == 403


def test_a_bad_quarter_is_a_400_with_a_message(seeded, client, login_as):
    login_as("pimpinan")
    for bad in ("2026-13", "2026", "2026-Q5", "x" * 300, "2026-S1"):
        response = client.get(PAGE, query_string={"period": bad})
        assert response.status_code == 400
        assert "Periode tidak valid" in response.get_data(as_text=True)


def test_another_quarter_and_the_evaluation_month(seeded, client, login_as):
    login_as("upg")
    html = client.get(f"{PAGE}?period=2026-Q1").get_data(as_text=True)
    assert "April 2026" in html and "30 April 2026" in html
    html = client.get(f"{PAGE}?period=2026-Q4").get_data(as_text=True)
    assert "Desember 2026" in html
    html = client.get(f"{PAGE}?period=2099-Q1").get_data(as_text=True)
    assert "Triwulan ini belum dimulai." in html


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"text": "", "version": ""},
        {"text": "   ", "version": ""},
        {"text": "Teks"},  # no version: a form not from the page
        {"text": "Teks", "version": "<script>"},
        {"text": "Te\x00ks", "version": ""},
        {"text": "x" * (evaluations.TEXT_MAX + 1), "version": ""},
    ],
)
def test_broken_text_posts_are_400_and_save_nothing(seeded, client, login_as, quarter, data):
    login_as("upg")
    response = client.post(text_url(quarter.code), data=data)
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert saved_counts(seeded) == (0, 0)


def test_a_refused_text_is_told_in_the_pages_words_beside_what_was_typed(seeded, client, login_as, quarter):
    """The same evaluation forms as the monev: the length and a broken line are said in the page's language."""
    login_as("upg")
    long_text = "x" * (evaluations.TEXT_MAX + 1)
    html = client.post(text_url(quarter.code), data={"text": long_text, "version": ""}).get_data(as_text=True)
    assert f"Paling banyak {evaluations.TEXT_MAX} karakter." in html and long_text in html
    client.set_cookie("zi_lang", "en")
    response = client.post(item_url(quarter.code), data={"item": "Sosialisasi", "owner": "Ketua\nUPG"})
    assert response.status_code == 400 and "Sosialisasi" in response.get_data(as_text=True)
    assert "Write this on one line, without line breaks." in response.get_data(as_text=True)
    assert saved_counts(seeded) == (0, 0)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"item": "", "owner": "UPG"},
        {"item": "Sosialisasi", "owner": ""},
        {"item": "Sosialisasi", "owner": "UPG", "due_on": "besok"},
        {"item": "Sosialisasi", "owner": "UPG", "due_on": "2026-02-30"},
        {"item": "Sosia\x00lisasi", "owner": "UPG"},
        {"item": "Sosialisasi", "owner": "U" * (evaluations.OWNER_MAX + 1)},
        {"item": "x" * (evaluations.ITEM_MAX + 1), "owner": "UPG"},
        {"item": "Sosialisasi", "owner": "Ketua\nUPG"},
    ],
)
def test_broken_item_posts_are_400_and_save_nothing(seeded, client, login_as, quarter, data):
    login_as("upg")
    response = client.post(item_url(quarter.code), data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error-summary"' in html
    assert saved_counts(seeded) == (0, 0)
    if data.get("item") == "Sosialisasi":
        assert "Sosialisasi</textarea>" in html  # what was typed comes back


def test_posts_without_a_quarter_are_400(seeded, client, login_as):
    login_as("upg")
    for url in (f"{PAGE}/teks", f"{PAGE}/tindak-lanjut", f"{PAGE}/teks?period=2026-99"):
        response = client.post(url, data={"text": "Teks", "version": "", "item": "x", "owner": "y"})
        assert response.status_code == 400, url
        assert "Periode tidak valid" in response.get_data(as_text=True)
    assert saved_counts(seeded) == (0, 0)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"status": "hilang", "evidence": "", "version": "VERSION"},
        {"status": "selesai", "evidence": "e" * (evaluations.EVIDENCE_MAX + 1), "version": "VERSION"},
        {"status": "selesai", "evidence": "bukti\x00", "version": "VERSION"},
        {"status": "selesai", "evidence": "bukti"},
        {"status": "selesai", "evidence": "bukti", "version": "kemarin"},
    ],
)
def test_broken_item_updates_are_400_and_change_nothing(seeded, client, login_as, quarter, data):
    item_id = add_item(seeded, quarter.code)
    with seeded.app_context():
        version = evaluations.item_version(db.session.get(FollowUpItem, item_id))
    login_as("upg")
    data = {k: (version if v == "VERSION" else v) for k, v in data.items()}
    response = client.post(f"{PAGE}/tindak-lanjut/{item_id}?period={quarter.code}", data=data)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert 'class="error"' in html
    # Every link of the error summary leads to a field on the page.
    for target in re.findall(r'<li><a href="#([^"]+)"', html):
        assert f'id="{target}"' in html, target
    with seeded.app_context():
        item = db.session.get(FollowUpItem, item_id)
        assert item.status == "terbuka" and item.evidence == "" and item.done_on is None


def test_an_unknown_item_is_a_404(seeded, client, login_as):
    login_as("upg")
    assert client.post(f"{PAGE}/tindak-lanjut/999999", data={"status": "selesai", "version": ""}).status_code == 404


def test_a_stale_page_does_not_save_over_a_colleagues_text(seeded, client, login_as, quarter):
    login_as("upg")
    assert client.post(text_url(quarter.code), data={"text": "Teks rekan.", "version": ""}).status_code == 302
    response = client.post(text_url(quarter.code), data={"text": "Teks saya.", "version": ""})  # opened before
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Petugas lain baru saja menyimpan" in html and "Teks saya.</textarea>" in html
    with seeded.app_context():
        assert db.session.get(PeriodEvaluation, ("benturan", quarter.code)).text == "Teks rekan."


def test_a_stale_item_update_is_refused(seeded, client, login_as, quarter):
    item_id = add_item(seeded, quarter.code)
    with seeded.app_context():
        old = evaluations.item_version(db.session.get(FollowUpItem, item_id))
    login_as("upg")
    url = f"{PAGE}/tindak-lanjut/{item_id}?period={quarter.code}"
    assert client.post(url, data={"status": "selesai", "evidence": "A", "version": old}).status_code == 302
    response = client.post(url, data={"status": "terbuka", "evidence": "B", "version": old})
    assert response.status_code == 409
    with seeded.app_context():
        assert db.session.get(FollowUpItem, item_id).evidence == "A"


def test_an_open_item_of_an_earlier_quarter_is_carried_forward(seeded, client, login_as, quarter):
    earlier = previous(quarter)
    add_item(seeded, earlier.code, "Perbarui pemetaan bidang")
    login_as("pimpinan")
    html = client.get(PAGE).get_data(as_text=True)
    assert "Perbarui pemetaan bidang" in html and "dibawa dari triwulan sebelumnya" in html


def test_a_decided_declaration_and_wbs_counts_appear_on_the_page(seeded, client, login_as, quarter):
    today = today_jakarta()
    with seeded.app_context():
        db.session.add(
            ConflictDeclaration(
                number="BTK-2026-000001",
                access_code_hash="x" * 64,
                channel=Channel.WEB,
                kind=DeclarationKind.KHUSUS,
                status=DeclarationStatus.DIPUTUSKAN,
                year=today.year,
                declarant_position="Analis",
                declarant_unit="Bidang Perizinan",
                conflict_type=ConflictType.KELUARGA,
                declared_on=quarter.start,
                decision=Decision.TUGAS_DIALIHKAN,
                decided_on=quarter.start,
            )
        )
        make_wbs(today=today, category="benturan-kepentingan")
        db.session.commit()
    login_as("upg")
    html = client.get(PAGE).get_data(as_text=True)
    assert "Tugas dialihkan kepada pejabat lain" in html
    assert "Diputuskan pada triwulan ini: 1 pernyataan." in html
    assert "<td>&lt; 3</td>" in html


def test_the_english_page(seeded, client, login_as, quarter):
    add_item(seeded, quarter.code)
    login_as("upg")
    client.set_cookie("zi_lang", "en")
    html = client.get(PAGE).get_data(as_text=True)
    assert "Conflict-of-interest evaluation" in html and "Quarter" in html
    assert "Evaluasi benturan" not in html and "dibuat pada bulan" not in html


def test_audit_entries_hold_no_text(seeded, client, login_as, quarter):
    login_as("upg")
    client.post(text_url(quarter.code), data={"text": "Rahasia evaluasi", "version": ""})
    with seeded.app_context():
        entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "benturan.evaluation_update")).one()
        assert json.loads(entry.data) == {"chars": len("Rahasia evaluasi")}
        assert entry.target_id == f"benturan/{quarter.code}"


def test_undecodable_bytes_are_400_and_save_nothing(seeded, client, login_as, quarter):
    login_as("upg")
    for url, body in (
        (text_url(quarter.code), b"text=\xff\xfeteks&version="),
        (item_url(quarter.code), b"item=\xc3\x28&owner=UPG"),
    ):
        response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
        assert response.status_code == 400, url
    assert saved_counts(seeded) == (0, 0)
