"""`wbs-evaluasi`: the quarter's counts, working days, backlog, socialisation, evaluation and follow-up items;
opens in openpyxl with the right counts and holds none of a report's words (nor the identity)."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest

from tests.factories import make_user
from tests.services.wbs.staff_factories import WORDS, make_report
from tests.services.wbs.test_stats import finished, rejected
from zi_public.exports import BadAsOf, build_report
from zi_public.extensions import db
from zi_public.models import Role
from zi_public.rules.periods import parse_period
from zi_public.services import evaluation_versions, evaluations
from zi_public.services.evaluations import ItemInput
from zi_public.services.wbs import EVALUATION_SCOPE, socialisation
from zi_public.services.wbs.socialisation import ActivityInput

NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
Q2 = parse_period("2026-Q2")
SCOPE = EVALUATION_SCOPE


@pytest.fixture
def member(seeded, db):
    return make_user(role=Role.WBS)


def sheet_rows(content: bytes, title: str) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def all_text(content: bytes) -> str:
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )


def row_for(rows: list[tuple], first: str) -> tuple:
    return next(row for row in rows if row and row[0] == first)


def test_the_evaluation_counts_and_holds_no_report_text(member):
    identity = "Siti Aminah, NIP 198701012010012001"
    finished(member, received=date(2026, 4, 6), answered=date(2026, 4, 8), closed=date(2026, 5, 4), identity=identity)
    finished(member, received=date(2026, 4, 6), answered=date(2026, 4, 7), closed=date(2026, 7, 6))
    rejected(member, received=date(2026, 6, 1), closed=date(2026, 6, 3), category="korupsi")
    make_report(received_on=date(2026, 3, 2))  # Q1, still open: in the backlog
    socialisation.record_activity(
        member,
        ActivityInput(date(2026, 5, 20), "Apel pagi", "Seluruh pegawai", "Pengenalan kanal WBS."),
        today=date(2026, 6, 1),
    )
    evaluations.save_evaluation(member, SCOPE, Q2, "Waktu jawaban pertama terjaga; sosialisasi perlu ke bidang teknis.")
    evaluations.add_item(
        member, SCOPE, parse_period("2026-Q1"), ItemInput("Pasang banner WBS di ruang layanan", "Sekretariat")
    )
    evaluations.add_item(
        member, SCOPE, Q2, ItemInput("Sosialisasi ke bidang teknis", "Ketua Tim WBS", date(2026, 9, 30))
    )
    db.session.flush()

    export = build_report("wbs-evaluasi", Q2, now=NOW)
    assert export.rows == 3
    counts = sheet_rows(export.content, "Jumlah laporan")
    pungli = row_for(counts, "Pungli / Calo") if any(r and r[0] == "Pungli / Calo" for r in counts) else None
    total = row_for(counts, "Jumlah")
    # received, still in process at the quarter's end, ditolak, terbukti, tidak terbukti
    assert total[1:6] == (3, 1, 1, 1, 0)
    assert pungli is None or pungli[1:3] == (2, 1)
    durations = sheet_rows(export.content, "Waktu penanganan")
    first = row_for(durations, "Diterima sampai jawaban pertama kepada pelapor")
    assert first[1:4] == (3, 2, 2)  # 1, 2 and 2 working days: median 2
    backlog = row_for(sheet_rows(export.content, "Belum selesai"), "Jumlah")
    assert backlog[1] == 2  # the Q1 report and the one closed in July
    activities = sheet_rows(export.content, "Sosialisasi")
    assert any(len(row) > 1 and row[1] == "Apel pagi" for row in activities)
    items = sheet_rows(export.content, "Tindak lanjut")
    items = [tuple(row) + (None,) * 7 for row in items if len(row) >= 3]
    assert any(row[2] == "Pasang banner WBS di ruang layanan" and row[1] == "Ya" for row in items), items
    assert any(row[2] == "Sosialisasi ke bidang teknis" and row[5] == "Terbuka" for row in items), items
    text = all_text(export.content)
    assert "sosialisasi perlu ke bidang teknis" in text
    for word in [*WORDS.values(), identity, "Laporan Anda kami telaah", "Bukan ranah WBS"]:
        assert word not in text, word


def test_an_as_of_inside_the_quarter_is_refused(member):
    with pytest.raises(BadAsOf):
        build_report("wbs-evaluasi", Q2, as_of=date(2026, 5, 1), now=NOW)


def test_a_month_is_not_a_quarter(member):
    from zi_public.exports import WrongPeriodKind

    with pytest.raises(WrongPeriodKind):
        build_report("wbs-evaluasi", parse_period("2026-05"), now=NOW)


def test_cli_writes_the_report(app, member, tmp_path):
    db.session.commit()
    output = tmp_path / "wbs.xlsx"
    result = app.test_cli_runner().invoke(args=["report", "wbs-evaluasi", "--period", "2026-Q2", "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert openpyxl.load_workbook(output, read_only=True)["Jumlah laporan"] is not None


def test_a_year_takes_its_four_quarters(member):
    finished(member, received=date(2026, 4, 6), answered=date(2026, 4, 8), closed=date(2026, 5, 4))
    finished(member, received=date(2026, 4, 6), answered=date(2026, 4, 7), closed=date(2026, 7, 6))
    make_report(received_on=date(2026, 3, 2))
    evaluations.save_evaluation(member, SCOPE, parse_period("2026-Q1"), "Triwulan pertama.")
    db.session.flush()
    export = build_report("wbs-evaluasi", parse_period("2026"), now=NOW)
    assert export.rows == 3
    total = row_for(sheet_rows(export.content, "Jumlah laporan"), "Jumlah")
    assert total[1:6] == (3, 1, 0, 2, 0)  # as the year stands: the one closed in July is finished too
    assert "Triwulan pertama." in all_text(export.content)


def test_the_workbook_states_the_version_and_keeps_the_final_one_it_replaced(member):
    """As the benturan evaluation does: the title block names the version and whether it is final; the evaluation
    sheet lists the earlier final version; an item's evidence is in the follow-up sheet."""
    evaluations.save_evaluation(member, SCOPE, Q2, "Versi pertama.")
    item = evaluations.add_item(member, SCOPE, Q2, ItemInput("Banner di ruang layanan", "Sekretariat"))
    evaluations.update_item(
        member, item, status=evaluations.DONE, evidence="Foto banner terpasang", today=date(2026, 6, 10)
    )
    evaluation_versions.mark_final(member, SCOPE, Q2)
    first = build_report("wbs-evaluasi", Q2, now=NOW).content
    assert "Evaluasi tim: versi 1, final" in all_text(first)
    evaluation_versions.new_version(member, SCOPE, Q2)
    evaluations.save_evaluation(member, SCOPE, Q2, "Versi kedua.")
    db.session.flush()
    second = build_report("wbs-evaluasi", Q2, now=NOW).content
    text = all_text(second)
    assert "Evaluasi tim: versi 2, draf (belum final)" in text and "Versi kedua." in text
    assert any(row and row[0] == "Versi 1 (final, diganti)" for row in sheet_rows(second, "Evaluasi"))
    items = [row for row in sheet_rows(second, "Tindak lanjut") if len(row) > 7 and row[2] == "Banner di ruang layanan"]
    assert [(row[5], row[6], row[7]) for row in items] == [("Selesai", datetime(2026, 6, 10), "Foto banner terpasang")]
