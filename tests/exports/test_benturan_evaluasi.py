"""`benturan-evaluasi`: declarations by kind and decision, working days to decision, the mapping's changes,
WBS counts in the category ("< 3"), the campaign activities, the team's text and the follow-up items (carried
forward marked), for a quarter or a year, in Indonesian and English; read back with openpyxl."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from tests.factories import make_user, make_wbs
from zi_public.exports import WrongPeriodKind, build_report
from zi_public.extensions import db as _db
from zi_public.models import Role
from zi_public.models.benturan import ConflictDeclaration
from zi_public.rules.benturan import ConflictType, Decision, DeclarationKind, DeclarationStatus
from zi_public.rules.gratifikasi import Channel
from zi_public.rules.periods import parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import ItemInput
from zi_public.services.gratifikasi import campaign
from zi_public.services.gratifikasi.campaign import ActivityInput

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)
Q2, Q3 = parse_period("2026-Q2"), parse_period("2026-Q3")
NAME = "Siti Rahmawati Declarant"


@pytest.fixture
def upg(seeded, db):
    return make_user(role=Role.UPG)


def declaration(number: int, kind: DeclarationKind, declared_on: date, decision=None, decided_on=None):
    row = ConflictDeclaration(
        number=f"BTK-2026-{number:06d}",
        access_code_hash="x" * 64,
        channel=Channel.WEB,
        kind=kind,
        status=DeclarationStatus.DIPUTUSKAN if decision else DeclarationStatus.DITERIMA,
        year=declared_on.year,
        declarant_name=NAME,
        declarant_position="Analis",
        declarant_unit="Bidang Perizinan",
        conflict_type=ConflictType.KELUARGA if kind == DeclarationKind.KHUSUS else None,
        declared_on=declared_on,
        decision=decision,
        decided_on=decided_on,
    )
    _db.session.add(row)
    _db.session.flush()
    return row


def sheets(content: bytes) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def pairs(rows: list[tuple]) -> dict[object, object]:
    return {row[0]: row[1] if len(row) > 1 else None for row in rows}


def data_rows(rows: list[tuple], first_header: str) -> list[tuple]:
    """The rows under the header row (the one starting with `first_header`), up to the signatures."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    result = []
    for row in rows[start + 1 :]:
        if not any(value is not None for value in row):
            break
        result.append(row)
    return result


def fill_quarter(upg):
    declaration(1, DeclarationKind.KHUSUS, date(2026, 5, 4), Decision.TUGAS_DIALIHKAN, date(2026, 5, 6))
    declaration(2, DeclarationKind.KHUSUS, date(2026, 5, 11))
    declaration(3, DeclarationKind.TAHUNAN_NIHIL, date(2026, 6, 1))
    for _ in range(2):
        make_wbs(today=date(2026, 5, 4), category="benturan-kepentingan")
    for _ in range(4):
        make_wbs(today=date(2026, 5, 5), category="pungli-calo")
    campaign.record_activity(
        upg,
        ActivityInput(date(2026, 6, 2), "benturan_kepentingan", "Apel pagi", "Seluruh pegawai", ""),
        today=NOW.date(),
    )
    campaign.record_activity(
        upg, ActivityInput(date(2026, 6, 3), "gratifikasi", "Banner", "Pengunjung", ""), today=NOW.date()
    )
    evaluations.save_evaluation(upg, "benturan", Q2, "Pernyataan khusus naik; pemetaan perlu dibarui.")
    carried = evaluations.add_item(upg, "benturan", parse_period("2026-Q1"), ItemInput("Formulir daring", "UPG"))
    own = evaluations.add_item(
        upg, "benturan", Q2, ItemInput("Sosialisasi bidang teknis", "Ketua UPG", date(2026, 7, 31))
    )
    evaluations.update_item(upg, own, status="selesai", evidence="Daftar hadir", today=date(2026, 6, 20))
    return carried, own


def test_a_quarter(upg):
    fill_quarter(upg)
    export = build_report("benturan-evaluasi", Q2, now=NOW)
    book = sheets(export.content)
    assert export.rows == 3
    assert list(book) == [
        "Ringkasan",
        "Pernyataan per jenis",
        "Waktu keputusan",
        "Perubahan pemetaan",
        "Laporan WBS",
        "Kegiatan",
        "Evaluasi",
        "Tindak lanjut",
    ]
    declarations = data_rows(book["Pernyataan per jenis"], "Triwulan")
    assert (
        "Triwulan II 2026",
        "Pernyataan benturan kepentingan",
        "Tugas dialihkan kepada pejabat lain",
        1,
    ) in declarations
    assert ("Triwulan II 2026", "Pernyataan benturan kepentingan", "Belum diputuskan", 1) in declarations
    assert (
        "Triwulan II 2026",
        "Pernyataan tahunan tidak ada benturan kepentingan",
        "Tidak memerlukan keputusan",
        1,
    ) in (declarations)
    assert declarations[-1] == ("Triwulan II 2026", "Jumlah", None, 3)
    assert data_rows(book["Waktu keputusan"], "Periode") == [("Triwulan II 2026", 1, 2, 2)]
    assert data_rows(book["Laporan WBS"], "Triwulan") == [
        ("Triwulan II 2026", "< 3", "< 3", "< 3", "< 3", "< 3")
    ]  # as published
    activities = data_rows(book["Kegiatan"], "Tanggal")
    assert len(activities) == 1 and activities[0][2] == "Apel pagi"
    evaluation = pairs(data_rows(book["Evaluasi"], "Bagian"))
    assert evaluation["Evaluasi"] == "Pernyataan khusus naik; pemetaan perlu dibarui."
    items = data_rows(book["Tindak lanjut"], "Ditetapkan pada")
    assert [(row[0], row[1], row[2], row[5]) for row in items] == [
        ("Triwulan I 2026", "Ya", "Formulir daring", "Terbuka"),
        ("Triwulan II 2026", "Tidak", "Sosialisasi bidang teknis", "Selesai"),
    ]
    assert items[1][7] == "Daftar hadir"
    summary = pairs(data_rows(book["Ringkasan"], "Uraian"))
    assert summary["Pernyataan yang diterima"] == 3 and summary["Tindak lanjut yang masih terbuka"] == 1
    # No declarant's name anywhere.
    assert NAME not in str(book)
    # The signers: the pimpinan acknowledges, the UPG signs.
    assert "Mengetahui," in str(book["Ringkasan"])


def test_as_of_a_day_shows_an_item_as_it_was(upg):
    fill_quarter(upg)
    export = build_report("benturan-evaluasi", Q2, as_of=date(2026, 6, 19), now=NOW)
    items = data_rows(sheets(export.content)["Tindak lanjut"], "Ditetapkan pada")
    assert [row[5] for row in items] == ["Terbuka", "Terbuka"] and items[1][6] is None


def test_a_year_is_its_four_quarters(upg):
    fill_quarter(upg)
    evaluations.save_evaluation(upg, "benturan", Q3, "Teks triwulan III.")
    export = build_report("benturan-evaluasi", parse_period("2026"), now=NOW)
    book = sheets(export.content)
    assert [row[0] for row in data_rows(book["Waktu keputusan"], "Periode")] == [
        "Triwulan I 2026",
        "Triwulan II 2026",
        "Triwulan III 2026",
        "Triwulan IV 2026",
        "2026",
    ]
    assert [row[0] for row in data_rows(book["Laporan WBS"], "Triwulan")] == [
        "Triwulan I 2026",
        "Triwulan II 2026",
        "Triwulan III 2026",
        "Triwulan IV 2026",
    ]
    evaluation = pairs(data_rows(book["Evaluasi"], "Bagian"))
    assert evaluation["Triwulan III 2026: Evaluasi"] == "Teks triwulan III."
    assert evaluation["Triwulan I 2026: Evaluasi"] == "(belum diisi)"
    # Within the year nothing is carried: the Q1 item is the year's own.
    items = data_rows(book["Tindak lanjut"], "Ditetapkan pada")
    assert [row[1] for row in items] == ["Tidak", "Tidak"]
    assert export.rows == 3


def test_in_english(upg):
    fill_quarter(upg)
    export = build_report("benturan-evaluasi", Q2, lang="en", now=NOW)
    book = sheets(export.content)
    assert "Declarations by kind" in book and "Summary" in book
    declarations = data_rows(book["Declarations by kind"], "Quarter")
    assert any(row[2] == "Not decided yet" for row in declarations)
    assert data_rows(book["WBS reports"], "Quarter")[0][1] == "< 3"
    text = str(book)
    assert "Quarterly Evaluation of Conflict-of-Interest Handling" in text
    assert "Belum diputuskan" not in text and "Terbuka" not in text


def test_only_a_quarter_or_a_year(db):
    with pytest.raises(WrongPeriodKind):
        build_report("benturan-evaluasi", parse_period("2026-05"), now=NOW)
    with pytest.raises(WrongPeriodKind):
        build_report("benturan-evaluasi", parse_period("2026-S1"), now=NOW)


def test_an_empty_quarter_opens(db):
    export = build_report("benturan-evaluasi", parse_period("2026-Q1"), now=NOW)
    book = sheets(export.content)
    assert export.rows == 0
    assert data_rows(book["Laporan WBS"], "Triwulan") == [("Triwulan I 2026", "0", "0", "0", "0", "0")]


def test_the_cli_writes_it(app, seeded, tmp_path):
    with app.app_context():
        upg = make_user(role=Role.UPG)
        fill_quarter(upg)
        _db.session.commit()
    target = tmp_path / "benturan-evaluasi-2026-Q2.xlsx"
    result = app.test_cli_runner().invoke(
        args=["report", "benturan-evaluasi", "--period", "2026-Q2", "--lang", "en", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == f"wrote {target} (3 rows)"
    book = sheets(target.read_bytes())
    assert data_rows(book["WBS reports"], "Quarter") == [("Quarter II 2026", "< 3", "< 3", "< 3", "< 3", "< 3")]


def title_lines(rows: list[tuple], first_header: str) -> list[object]:
    """The title block: the first cells above the header row."""
    end = next(i for i, row in enumerate(rows) if row and row[0] == first_header)
    return [row[0] for row in rows[:end] if row and row[0] is not None]


def test_the_title_block_and_the_evaluation_sheet_state_the_version(upg):
    def read(period=Q2, lang="id") -> tuple[list[object], dict[object, object]]:
        book = sheets(build_report("benturan-evaluasi", period, lang=lang, now=NOW).content)
        first = "Uraian" if lang == "id" else "Item"
        evaluation_header = "Bagian" if lang == "id" else "Part"
        evaluation_sheet = "Evaluasi" if lang == "id" else "Evaluation"
        return title_lines(book[list(book)[0]], first), pairs(data_rows(book[evaluation_sheet], evaluation_header))

    lines, evaluation = read()
    assert "Evaluasi tim: belum ditulis" in lines and evaluation["Versi"] == "belum ditulis"
    carried, own = fill_quarter(upg)
    lines, evaluation = read()
    assert "Evaluasi tim: versi 1, draf (belum final)" in lines
    evaluation_versions.mark_final(upg, "benturan", Q2)
    lines, evaluation = read()
    final_line = next(str(line) for line in lines if str(line).startswith("Evaluasi tim: "))
    assert final_line.startswith("Evaluasi tim: versi 1, final (ditetapkan ")
    assert str(evaluation["Versi"]).startswith("versi 1, final (ditetapkan ")
    evaluation_versions.new_version(upg, "benturan", Q2)
    evaluations.save_evaluation(upg, "benturan", Q2, "Versi dua.")
    lines, evaluation = read()
    assert "Evaluasi tim: versi 2, draf (belum final)" in lines
    assert evaluation["Evaluasi"] == "Versi dua." and evaluation["Versi"] == "versi 2, draf (belum final)"
    assert str(evaluation["Versi 1 (final, diganti)"]).startswith("ditetapkan ")
    # A year: each quarter's version in turn, on one line.
    lines, evaluation = read(parse_period("2026"))
    assert (
        "Evaluasi tim: Triwulan I 2026: belum ditulis; Triwulan II 2026: versi 2, draf (belum final); "
        "Triwulan III 2026: belum ditulis; Triwulan IV 2026: belum ditulis"
    ) in lines
    assert evaluation["Triwulan II 2026: Versi"] == "versi 2, draf (belum final)"
    assert "Triwulan II 2026: Versi 1 (final, diganti)" in evaluation
    # In English.
    evaluation_versions.mark_final(upg, "benturan", Q2)
    lines, evaluation = read(lang="en")
    final_line = next(str(line) for line in lines if str(line).startswith("Team evaluation: "))
    assert final_line.startswith("Team evaluation: version 2, final (marked final ")
    assert "Evaluasi tim" not in " ".join(str(line) for line in lines) and "ditetapkan" not in final_line
    assert str(evaluation["Version 1 (final, replaced)"]).startswith("marked final ")
