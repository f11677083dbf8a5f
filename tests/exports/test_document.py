"""Every report is a document an office can file: title block, signatures from the settings, print setup,
and the language it was asked for."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.exports.reports import NOW, header_of, header_row, report, rows_of, workbook
from tests.factories import make_user
from zi_public.exports import REPORTS
from zi_public.exports.document import in_language, period_label, report_language
from zi_public.models import AuditEntry, Role
from zi_public.rules.periods import parse_period
from zi_public.services.settings import REPORT_SIGNERS, Signer, report_settings, save_report_settings

CASES = [("pengaduan-bulanan", "2026-11"), ("pengaduan-bulanan", "2026"), ("pengaduan-monev", "2026-S2"),
         ("pengaduan-monev", "2026")]  # fmt: skip
LABELS = {"2026-11": "November 2026", "2026": "2026", "2026-S2": "Semester II 2026"}


def cells(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]


@pytest.mark.parametrize(("name", "period"), CASES)
def test_every_sheet_has_a_title_block_signatures_and_print_setup(db, seeded, name, period):
    admin = make_user(role=Role.ADMIN)
    save_report_settings(
        admin,
        "Dinas Penanaman Modal dan PTSP Kota Magelang",
        "Magelang",
        {
            "pimpinan": Signer("Kepala Dinas", "Drs. Kepala Dinas, M.Si.", "19700101 199001 1 001"),
            "pengaduan": Signer("Ketua Tim Pengaduan", "Petugas Pengaduan, S.E."),
        },
    )
    wb = workbook(report(name, period, date(2026, 12, 2)).content)
    for ws in wb:
        top = [ws.cell(row, 1).value for row in range(1, header_row(ws))]
        assert top[0] == "Dinas Penanaman Modal dan PTSP Kota Magelang"
        assert top[1] in ("Laporan Tindak Lanjut Pengaduan", "Monitoring dan Evaluasi Penanganan Pengaduan")
        assert "Keadaan per: 2 Desember 2026" in top and "Dibuat: 15 Januari 2027, 09.00 WIB" in top
        assert any(line.startswith(f"Periode: {LABELS[period]} (1 ") for line in top if line)
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
        assert ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows == f"${header_row(ws)}:${header_row(ws)}"
        text = cells(ws)
        for expected in ("Mengetahui,", "Kepala Dinas", "Drs. Kepala Dinas, M.Si.", "NIP. 19700101 199001 1 001",
                         "Magelang, 15 Januari 2027", "Ketua Tim Pengaduan", "Petugas Pengaduan, S.E."):  # fmt: skip
            assert expected in text, (ws.title, expected)


def test_unset_signers_keep_their_default_positions_and_a_line_to_sign(db, seeded, app):
    settings = report_settings()
    assert settings.unit == app.config["SITE_OWNER"] and settings.place == "Magelang"
    assert {key: s.position for key, s in settings.signers.items()} == REPORT_SIGNERS
    text = cells(workbook(report("pengaduan-bulanan", "2026-11").content)["Rekap"])
    assert REPORT_SIGNERS["pimpinan"] not in text  # long positions wrap over several rows
    assert "Kepala Dinas Penanaman Modal dan Pelayanan" in text and "Ketua Tim Pengaduan" in text
    assert text.count("(" + "." * 40 + ")") == 2


def test_saving_the_settings_is_audited_per_changed_key_and_refuses_unknown_signers(db):
    admin = make_user(role=Role.ADMIN, username="admin1")
    current = report_settings()
    save_report_settings(admin, current.unit, "Kota Magelang", {})
    changed = db.session.scalars(sa.select(AuditEntry.target_id).where(AuditEntry.action == "setting.change")).all()
    assert changed == ["report_place"]
    with pytest.raises(KeyError):
        save_report_settings(admin, current.unit, "Magelang", {"bendahara": Signer("Bendahara")})


@pytest.mark.parametrize(("name", "period"), CASES)
def test_a_report_exported_from_the_english_ui_is_in_english(db, seeded, name, period):
    wb = workbook(report(name, period, lang="en").content)
    first = wb.worksheets[0]
    top = [first.cell(row, 1).value for row in range(1, header_row(first))]
    assert top[1] in ("Complaint Follow-up Report", "Monitoring and Evaluation of Complaint Handling")
    assert any(line and line.startswith("As of: ") for line in top)
    assert "Generated: 15 January 2027, 09.00 WIB" in top
    if name == "pengaduan-bulanan":
        label = "November 2026" if period == "2026-11" else "2026"
        assert first.title == f"Complaints {label}"
        header = header_of(first)
        assert header[0] == "No."
        assert "Verified on time" in header and "Reporter informed" in header
        recap = header_of(wb.worksheets[-1])
        carried = "Carried over from last month" if period == "2026-11" else "Carried over from last year"
        assert recap[:3] == ["By", "Item", carried] and recap[-1] == "% of follow-ups on time"
        assert rows_of(wb.worksheets[-1])[-1][:2] == ("Division", "Total")
        assert "Acknowledged by," in cells(first)
    else:
        assert wb.sheetnames[:4] == ["Previous monev follow-up", "Comparison", "Breakdown", "Volume by month"]
        months = [row[0] for row in rows_of(wb["Volume by month"])]
        assert months[-2] == "December 2026" and months[-1].startswith("Total ")


def test_the_language_falls_back_to_indonesian(app):
    with app.app_context():
        assert report_language("en") == "en" and report_language("en_US") == "en"
        assert report_language("fr") == "id" and report_language(None) == "id" and report_language("") == "id"


@pytest.mark.parametrize(
    ("period", "lang", "label"),
    [
        ("2026-02", "id", "Februari 2026"),
        ("2026-02", "en", "February 2026"),
        ("2026-Q3", "id", "Triwulan III 2026"),
        ("2026-Q3", "en", "Quarter III 2026"),
        ("2026-S1", "id", "Semester I 2026"),
        ("2026", "en", "2026"),
    ],
)
def test_period_labels(app, period, lang, label):
    with app.test_request_context(), in_language(lang) as language:
        assert period_label(parse_period(period), language) == label


def test_every_report_accepts_a_year():
    assert all("year" in kinds for _builder, kinds in REPORTS.values())
    assert NOW.year == 2027
