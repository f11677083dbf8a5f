"""Laporan survei persepsi (`skm-persepsi`, issue 9 point 11): per questionnaire answered in the period (or
open to respondents), a data sheet with one row a respondent (date, channel, layanan, each item's answer as
given) and under it each item's score sum and mean, the respondents and the index; a first sheet sums the
questionnaires up (index, grade, source).

The figures come from services/skm/perception_results.py (SQL aggregates, the rules module's arithmetic):
the same numbers as the staff page and the public page. Rows stream from one query per questionnaire
(answers ordered by response and item), so 100,000 responses are never held in memory. Semester and year
pool every response of the period, never an average of quarters. Anonymous: no person is named anywhere.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _

from zi_public.exports.document import document, period_label
from zi_public.exports.xlsx import CountingRows, Export, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.models import Layanan, PerceptionAnswer, PerceptionItem, PerceptionQuestionnaire, PerceptionResponse
from zi_public.rules.periods import Period
from zi_public.rules.skm import Channel
from zi_public.services.skm import perception_results
from zi_public.services.skm.labels import CHANNEL_LABELS

#: Who signs: the head of the Tim SKM prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "skm")
_SQL_CHUNK = 2000
_LEADING = 4  # No., date, channel, layanan


def _questionnaires(period: Period, as_of: date) -> list[PerceptionQuestionnaire]:
    """Those answered in the period up to as_of, and those open to respondents now."""
    answered = (
        sa.select(PerceptionResponse.questionnaire_id)
        .where(PerceptionResponse.submitted_on >= period.start, PerceptionResponse.submitted_on <= as_of)
        .distinct()
    )
    stmt = sa.select(PerceptionQuestionnaire).where(
        sa.or_(PerceptionQuestionnaire.is_active.is_(True), PerceptionQuestionnaire.id.in_(answered))
    )
    return list(db.session.scalars(stmt.order_by(PerceptionQuestionnaire.code)))


def _layanan_name(lang: str):  # noqa: ANN202 - a SQL expression
    if lang == "en":
        return sa.case((Layanan.name_en != "", Layanan.name_en), else_=Layanan.name)
    return Layanan.name


def _respondent_rows(
    questionnaire: PerceptionQuestionnaire, period: Period, as_of: date, lang: str
) -> Iterator[list[object]]:
    """One row per response: No., date, channel, layanan, then each item's answer as given."""
    channels = {channel: str(CHANNEL_LABELS[channel]) for channel in Channel}
    stmt = (
        sa.select(
            PerceptionResponse.id,
            PerceptionResponse.submitted_on,
            PerceptionResponse.channel,
            _layanan_name(lang),
            PerceptionAnswer.value,
        )
        .select_from(PerceptionAnswer)
        .join(PerceptionResponse, PerceptionResponse.id == PerceptionAnswer.response_id)
        .join(PerceptionItem, PerceptionItem.id == PerceptionAnswer.item_id)
        .outerjoin(Layanan, Layanan.id == PerceptionResponse.layanan_id)
        .where(
            PerceptionResponse.questionnaire_id == questionnaire.id,
            PerceptionResponse.submitted_on >= period.start,
            PerceptionResponse.submitted_on <= as_of,
        )
        .order_by(PerceptionResponse.submitted_on, PerceptionResponse.id, PerceptionItem.position)
        .execution_options(yield_per=_SQL_CHUNK)
    )
    rows = db.session.execute(stmt)
    for number, (_id, answers) in enumerate(itertools.groupby(rows, key=lambda row: row[0]), start=1):
        first = next(answers)
        values = [first[4], *(row[4] for row in answers)]
        yield [number, first[1], channels[Channel(first[2])], first[3] or "", *values]


def _figure_rows(shown: perception_results.PeriodResult, lang: str) -> list[list[object]]:
    """Under the respondents: each item's score sum and mean, the respondents, the index (and its grade)."""
    definition = shown.questionnaire.definition
    computed = shown.result
    blank = [None] * (_LEADING - 1)
    if computed is None:
        return [[], [_("Belum ada jawaban pada periode ini."), *blank]]
    results = [computed.item(item.code) for item in definition.items]
    index_row: list[object] = [_("Indeks"), *blank, computed.index]
    if computed.band is not None:
        index_row.append(computed.band.label.get(lang))
    return [
        [],
        [_("Jumlah skor"), *blank, *(result.score_sum for result in results)],
        [_("Rata-rata skor"), *blank, *(result.mean_rounded(3) for result in results)],
        [_("Responden"), *blank, computed.respondents],
        index_row,
    ]


def _data_sheet(
    shown: perception_results.PeriodResult, period: Period, as_of: date, lang: str
) -> tuple[Sheet, CountingRows]:
    questionnaire = shown.questionnaire
    definition = questionnaire.definition
    headers = [_("No."), _("Tanggal"), _("Kanal"), _("Layanan")]
    for item in definition.items:
        headers.append(f"{item.code} ({_('skor dibalik')})" if item.reverse else item.code)
    counted = CountingRows(_respondent_rows(questionnaire, period, as_of, lang))
    rows = itertools.chain(counted, _figure_rows(shown, lang))
    sheet = Sheet(
        title=definition.code,
        heading=definition.title.get(lang),
        headers=headers,
        rows=rows,
        widths=[14, 11, 12, 30, *([8] * len(definition.items))],
        wrap=frozenset({3}),
    )
    return sheet, counted


def _summary_rows(shown_all: list[perception_results.PeriodResult], lang: str) -> list[list[object]]:
    rows: list[list[object]] = []
    for shown in shown_all:
        definition = shown.questionnaire.definition
        computed = shown.result
        rows.append(
            [
                definition.code,
                definition.title.get(lang),
                computed.respondents if computed else 0,
                computed.index if computed else None,
                computed.band.label.get(lang) if computed and computed.band else "",
                _formula_words(shown),
                definition.source.name,
            ]
        )
        for item in definition.items:
            result = computed.item(item.code) if computed else None
            rows.append(
                [
                    item.code,
                    item.text.get(lang) + (f" ({_('skor dibalik')})" if item.reverse else ""),
                    None,
                    result.mean_rounded(3) if result else None,
                    "",
                    "",
                    item.note,
                ]
            )
    return rows


def _formula_words(shown: perception_results.PeriodResult) -> str:
    definition = shown.questionnaire.definition
    scale, index = definition.scale, definition.index
    if index.formula == "mean":
        return _("Rata-rata semua jawaban pada skala %(low)d-%(high)d", low=scale.min, high=scale.max)
    if index.formula == "mean_scaled":
        return _("Rata-rata semua jawaban × %(to)d ÷ %(high)d", to=index.to, high=scale.max)
    return _(
        "(Rata-rata semua jawaban − %(low)d) ÷ (%(high)d − %(low)d) × %(to)d",
        low=scale.min,
        high=scale.max,
        to=index.to,
    )


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    """The perception surveys of `period` (a quarter, semester or year) as of `as_of`, as an xlsx workbook."""
    shown_all = [
        perception_results.result(questionnaire, period, as_of=as_of)
        for questionnaire in _questionnaires(period, as_of)
    ]
    summary = Sheet(
        title=_("Ringkasan"),
        heading=_("Indeks per kuesioner dan rata-rata skor per butir, %(period)s", period=period_label(period, lang)),
        headers=[
            _("Kode"),
            _("Kuesioner / butir"),
            _("Responden"),
            _("Indeks / rata-rata skor"),
            _("Predikat"),
            _("Cara menghitung"),
            _("Sumber / catatan"),
        ],
        rows=_summary_rows(shown_all, lang),
        widths=[8, 50, 11, 12, 12, 30, 50],
        wrap=frozenset({1, 5, 6}),
    )
    sheets = [summary]
    counters = []
    for shown in shown_all:
        sheet, counted = _data_sheet(shown, period, as_of, lang)
        sheets.append(sheet)
        counters.append(counted)
    title = _("Laporan Survei Persepsi")
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=sum(counted.count for counted in counters))
