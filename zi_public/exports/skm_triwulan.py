"""Laporan SKM (`skm-triwulan`, issue 9 point 10): a quarter's (semester's, year's) survey as a document.

Sheets: the IKM recap (the period, each layanan and, for a semester or a year, each quarter for information);
every respondent's answers with, under them, the sum, NRR and weighted NRR per unsur and the IKM with its mutu
and kinerja; the respondents' profile; the follow-up items; then the same data sheet once per layanan.

The figures are the results of services/skm/results (SQL aggregates fed to rules/ikm), the same as the
public page's: the sums under the data are each NRR × respondents, exactly. A semester or a year pools all its
responses; it is never an average of quarterly IKMs. The office's weighting (services/skm/settings) applies
unless `legacy` is given, and the weighting used is written in the title block and beside the weighted NRR.

Respondents stay anonymous: no permit number (joined with the permit register it names the applicant, and a
respondent who can be found rates differently), only the profile the survey asks and the suggestion text
(neutralised against formulas by the writer). Rows stream from a server-side cursor into a write-only sheet,
so 100,000 responses are never held in memory; the profile is one GROUP BY.
"""

from __future__ import annotations

import itertools
import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from zi_public.exports.document import document, period_label
from zi_public.exports.xlsx import CountingRows, Export, Formatted, Sheet, write_workbook
from zi_public.extensions import db
from zi_public.models import Layanan, SkmResponse
from zi_public.rules.periods import QUARTER, Period
from zi_public.rules.skm import AGE_BANDS, EDUCATIONS, GENDERS, OCCUPATIONS, UNSUR, VULNERABLE_GROUPS, age_band
from zi_public.services.reference import localized_name_sql
from zi_public.services.skm import follow_up, labels, population, results
from zi_public.services.skm.settings import legacy_weighting

#: Who signs: the head of the Tim SKM prepares it, the pimpinan acknowledges it.
SIGNERS = ("pimpinan", "skm")
NRR_FORMAT = "0.000"
WEIGHTED_FORMAT = "0.0000"
IKM_FORMAT = "0.00"
SHARE_FORMAT = "0.0%"
#: The data sheet's columns before U1..U9: (header, width, wraps).
_LEADING = (
    (_l("No."), 6, False),
    (_l("Tanggal"), 11, False),
    (_l("Layanan"), 26, True),
    (_l("Kanal"), 9, False),
    (_l("Jenis kelamin"), 10, False),
    (_l("Usia"), 6, False),
    (_l("Pendidikan"), 10, False),
    (_l("Pekerjaan"), 13, False),
    (_l("Kelompok rentan"), 13, True),
)
FIRST_UNSUR = len(_LEADING)  # the column of U1; single figures under the table (IKM, mutu, ...) sit there too
_UNSUR_WIDTH = 9
_SUGGESTION = (_l("Saran"), 40)
_SQL_CHUNK = 2000


_ANSWERS = tuple(getattr(SkmResponse, code.lower()) for code in UNSUR)


def _in_period(period: Period, as_of: date) -> sa.ColumnElement[bool]:
    """The responses the report covers: given in the period, up to the day it is as of (results.cut_off)."""
    return SkmResponse.submitted_on.between(period.start, results.cut_off(period, as_of))


class _Words:
    """The report's words for codes, rendered once in the report's language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.channel = {str(k): str(v) for k, v in labels.CHANNEL_LABELS.items()}
        self.gender = {k: str(v) for k, v in labels.GENDER_LABELS.items()}
        self.education = {k: str(v) for k, v in labels.EDUCATION_LABELS.items()}
        self.occupation = {k: str(v) for k, v in labels.OCCUPATION_LABELS.items()}
        self.vulnerable = {k: str(v) for k, v in labels.VULNERABLE_LABELS.items()}
        self.kinerja = {k: str(v) for k, v in labels.KINERJA_LABELS.items()}
        self.unsur = {k: f"{k} {v}" for k, v in labels.UNSUR_NAMES.items()}
        catalogue = sa.select(Layanan.id, localized_name_sql(Layanan, lang)).order_by(Layanan.sort_order, Layanan.name)
        #: id -> name, in the catalogue's order (the order of the recap rows and the layanan sheets)
        self.layanan = {layanan_id: name for layanan_id, name in db.session.execute(catalogue)}


# -- the data sheets -----------------------------------------------------------------------------------------


def _data_columns(words: _Words) -> tuple[list[str], list[float], frozenset[int]]:
    headers = [str(header) for header, _width, _wrap in _LEADING]
    headers += [words.unsur[code] for code in UNSUR]
    headers.append(str(_SUGGESTION[0]))
    widths = [width for _header, width, _wrap in _LEADING] + [_UNSUR_WIDTH] * len(UNSUR) + [_SUGGESTION[1]]
    wrap = frozenset(i for i, (_header, _width, wraps) in enumerate(_LEADING) if wraps) | {len(headers) - 1}
    return headers, widths, wrap


def _response_rows(where: sa.ColumnElement[bool], words: _Words) -> Iterator[tuple[object, ...]]:
    """One row per respondent, in the order given, streamed from a server-side cursor."""
    r = SkmResponse
    stmt = (
        sa.select(
            r.submitted_on,
            r.layanan_id,
            sa.type_coerce(r.channel, sa.String),  # the code: no enum object per row
            r.gender,
            r.age,
            r.education,
            r.occupation,
            r.vulnerable_group,
            *_ANSWERS,
            r.suggestion,
        )
        .where(where)
        .order_by(r.submitted_on, r.id)
        .execution_options(yield_per=_SQL_CHUNK)
    )
    layanan, channel, gender = words.layanan, words.channel, words.gender
    education, occupation, vulnerable = words.education, words.occupation, words.vulnerable
    for number, row in enumerate(db.session.execute(stmt), start=1):
        yield (
            number,
            row[0],
            layanan.get(row[1]),
            channel.get(row[2], row[2]),
            gender.get(row[3], row[3]),
            row[4],
            education.get(row[5], row[5]),
            occupation.get(row[6], row[6]),
            vulnerable.get(row[7], row[7]) if row[7] else None,
            *row[8:17],
            row[17] or None,
        )


def _figure_row(label: str, value: object) -> list[object]:
    """A row under the table: its label in the first column, one figure under U1."""
    row: list[object] = [None] * (FIRST_UNSUR + 1)
    row[0], row[FIRST_UNSUR] = label, value
    return row


def _unsur_row(label: str, values: Iterable[object]) -> list[object]:
    return [label, *([None] * (FIRST_UNSUR - 1)), *values]


def _weight_label(legacy: bool) -> str:
    return str(labels.LEGACY_WEIGHT_LABEL if legacy else labels.EXACT_WEIGHT_LABEL)


def _summary_rows(found: results.Result, legacy: bool, words: _Words) -> list[list[object]]:
    """Under the respondents: sum, NRR and weighted NRR per unsur, then the IKM, mutu and kinerja."""
    sums = found.sums()
    rows: list[list[object]] = [[], _unsur_row(_("Jumlah nilai per unsur"), (sums[code] for code in UNSUR))]
    result = found.ikm
    if result is None:
        rows.append(_figure_row(_("Jumlah responden"), 0))
        rows.append(_figure_row(_("IKM"), _("Belum ada responden")))
        return rows
    weight = "0,111" if legacy else "1/9"
    weighted = result.weighted_nrr()
    rows += [
        _unsur_row(
            _("NRR per unsur (jumlah nilai : jumlah responden)"),
            (Formatted(float(result.nrr[code]), NRR_FORMAT) for code in UNSUR),
        ),
        _unsur_row(
            _("NRR tertimbang (NRR × %(weight)s)", weight=weight),
            (Formatted(float(weighted[code]), WEIGHTED_FORMAT) for code in UNSUR),
        ),
        _figure_row(_("Jumlah NRR tertimbang"), Formatted(float(sum(weighted.values())), WEIGHTED_FORMAT)),
        _figure_row(_("IKM (jumlah NRR tertimbang × 25)"), Formatted(result.ikm, IKM_FORMAT)),
        _figure_row(_("Mutu pelayanan"), result.mutu),
        _figure_row(_("Kinerja unit pelayanan"), words.kinerja[result.kinerja]),
        _figure_row(_("Jumlah responden"), result.respondents),
        _figure_row(_("Pembobotan"), _weight_label(legacy)),
    ]
    return rows


def _data_sheet(title: str, heading: str, rows: Iterable[Sequence[object]], words: _Words) -> Sheet:
    headers, widths, wrap = _data_columns(words)
    return Sheet(title=title, heading=heading, headers=headers, rows=rows, widths=widths, wrap=wrap)


def _sheet_title(name: str) -> str:
    """A layanan's name as a sheet title: whole words within Excel's 31 characters."""
    return textwrap.shorten(name, 31, placeholder="") or name[:31]


# -- the recap, the profile and the follow-up ------------------------------------------------------------------


def _recap_row(scope: str, result: results.Result, words: _Words) -> list[object]:
    ikm = result.ikm
    figures: list[object] = [None] * (len(UNSUR) + 3)
    if ikm is not None:
        nrr = [Formatted(float(ikm.nrr[code]), NRR_FORMAT) for code in UNSUR]
        figures = [*nrr, ikm.ikm, ikm.mutu, words.kinerja[ikm.kinerja]]
    sufficient = None if result.sample_sufficient is None else (_("Ya") if result.sample_sufficient else _("Tidak"))
    return [scope, result.respondents, *figures, result.population, result.minimum_sample, sufficient]


def _recap_sheet(
    period: Period,
    as_of: date,
    overall: results.Result,
    by_layanan: list[results.Result],
    legacy: bool,
    words: _Words,
) -> Sheet:
    rows = [_recap_row(_("Semua layanan"), overall, words)]
    rows += [_recap_row(words.layanan.get(r.layanan.id) or "", r, words) for r in by_layanan if r.layanan]
    if period.kind != QUARTER:
        # For information only: the period's IKM above pools every response, never these.
        quarters = len(population.quarters_of(period))  # the quarters N is counted in
        for quarter in results.quarter_series(period, quarters, as_of=as_of, legacy=legacy):
            scope = _("%(quarter)s (informasi)", quarter=period_label(quarter.period, words.lang))
            rows.append(_recap_row(scope, quarter, words))
    ikm_column = len(UNSUR) + 2
    return Sheet(
        title=_("Rekap IKM"),
        heading=_("Indeks Kepuasan Masyarakat per layanan (%(weight)s)", weight=_weight_label(legacy)),
        headers=[
            _("Cakupan"),
            _("Jumlah responden"),
            *(f"NRR {code}" for code in UNSUR),
            _("IKM"),
            _("Mutu"),
            _("Kinerja"),
            _("Populasi (jumlah dilayani)"),
            _("Sampel minimum (Krejcie-Morgan)"),
            _("Sampel memadai"),
        ],
        rows=rows,
        widths=[34, 11, *([7.5] * len(UNSUR)), 8, 6, 12, 11, 11, 9],
        number_formats={ikm_column: IKM_FORMAT},
        wrap=frozenset({0}),
    )


def _age_band_sql() -> sa.ColumnElement[str]:
    """rules/skm.age_band in SQL, built from the same AGE_BANDS."""
    whens = [(SkmResponse.age <= high, age_band(low)) for low, high in AGE_BANDS if high is not None]
    return sa.case(*whens, else_=age_band(AGE_BANDS[-1][0]))


def _profile_sheet(where: sa.ColumnElement[bool], words: _Words) -> Sheet:
    """Counts and shares by gender, age band, education, occupation, kelompok rentan and channel: one GROUP BY
    over every combination (a few thousand at most), folded per characteristic."""
    r = SkmResponse
    channel = sa.type_coerce(r.channel, sa.String)
    keys = (r.gender, _age_band_sql(), r.education, r.occupation, r.vulnerable_group, channel)
    stmt = sa.select(*keys, sa.func.count()).where(where).group_by(*keys)
    counts: list[dict[object, int]] = [{} for _key in keys]
    total = 0
    for *values, n in db.session.execute(stmt):
        total += n
        for position, value in enumerate(values):
            counts[position][value] = counts[position].get(value, 0) + n
    none_label = _("Bukan kelompok rentan / tidak diisi")
    sections = (
        (_("Jenis kelamin"), GENDERS, words.gender),
        (_("Usia"), [age_band(low) for low, _high in AGE_BANDS], {}),
        (_("Pendidikan"), EDUCATIONS, words.education),
        (_("Pekerjaan"), OCCUPATIONS, words.occupation),
        (_("Kelompok rentan"), (*VULNERABLE_GROUPS, None), {**words.vulnerable, None: none_label}),
        (_("Kanal"), tuple(words.channel), words.channel),
    )
    rows: list[list[object]] = [[_("Jumlah responden"), "", total, 1 if total else None]]
    for (name, codes, names), found in zip(sections, counts, strict=True):
        # Codes no longer offered (older data) are listed after the current options, never dropped.
        for code in [*codes, *sorted((c for c in found if c not in codes), key=str)]:
            n = found.get(code, 0)
            rows.append([name, names.get(code, code), n, n / total if total else None])
    return Sheet(
        title=_("Profil responden"),
        heading=_("Profil responden"),
        headers=[_("Karakteristik"), _("Kategori"), _("Jumlah"), _("Persentase")],
        rows=rows,
        widths=[20, 34, 10, 11],
        number_formats={3: SHARE_FORMAT},
    )


def _follow_up_rows(period: Period, as_of: date, words: _Words) -> list[list[object]]:
    done, running = _("Selesai"), _("Berjalan")
    rows: list[list[object]] = []
    # Every item set by the period's quarters (or carried into it), whenever it was recorded: a quarter's plan is
    # written after its results, i.e. after the quarter, and belongs in its report. Done or not: as of `as_of`.
    for item in follow_up.items_for(period):
        finished = follow_up.is_done_on(item, as_of)
        rows.append(
            [
                period_label(item.set_in, words.lang),
                _("Ya") if item.is_carried(period) else _("Tidak"),
                words.unsur.get(item.unsur, item.unsur),
                words.layanan.get(item.layanan_id) if item.layanan_id else _("Seluruh layanan"),
                item.action,
                item.owner,
                item.due_on,
                item.progress or None,
                item.evidence or None,
                len(item.attachments),
                done if finished else running,
                item.done_on if finished else None,
            ]
        )
    return rows


def _follow_up_sheet(period: Period, as_of: date, words: _Words) -> Sheet:
    """The improvement items for the weakest unsur, carried until done, each done or not as of `as_of`."""
    return Sheet(
        title=_("Tindak lanjut"),
        heading=_("Rencana tindak lanjut hasil SKM (yang belum selesai dibawa ke periode berikutnya)"),
        headers=[
            _("Ditetapkan pada"),
            _("Dibawa dari periode sebelumnya"),
            _("Unsur"),
            _("Layanan"),
            _("Tindak lanjut"),
            _("Penanggung jawab"),
            _("Batas waktu"),
            _("Progres"),
            _("Bukti"),
            _("Jumlah bukti"),
            _("Status"),
            _("Tanggal selesai"),
        ],
        rows=_follow_up_rows(period, as_of, words),
        widths=[14, 11, 20, 20, 40, 18, 11, 28, 24, 8, 9, 11],
        wrap=frozenset({2, 3, 4, 5, 7, 8}),
    )


# -- the report ------------------------------------------------------------------------------------------------


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str, legacy: bool | None = None) -> Export:
    """The SKM report of `period` (a quarter, semester or year) as of `as_of`, with the office's weighting
    unless `legacy` says which to use."""
    legacy = legacy_weighting() if legacy is None else legacy
    words = _Words(lang)
    where = _in_period(period, as_of)
    overall = results.result(period, as_of=as_of, legacy=legacy)
    by_layanan = results.results_by_layanan(period, as_of=as_of, legacy=legacy)
    listed = CountingRows(_response_rows(where, words))
    sheets = [
        _recap_sheet(period, as_of, overall, by_layanan, legacy, words),
        _data_sheet(
            _("Data responden"),
            _("Jawaban setiap responden dan perhitungan IKM"),
            itertools.chain(listed, _summary_rows(overall, legacy, words)),
            words,
        ),
        _profile_sheet(where, words),
        _follow_up_sheet(period, as_of, words),
    ]
    for result in by_layanan:
        layanan_id = result.layanan.id  # type: ignore[union-attr]
        name = words.layanan.get(layanan_id) or ""
        rows = _response_rows(sa.and_(SkmResponse.layanan_id == layanan_id, where), words)
        summary = _summary_rows(result, legacy, words)
        sheets.append(
            _data_sheet(_sheet_title(name), _("Layanan: %(name)s", name=name), itertools.chain(rows, summary), words)
        )
    title = _("Laporan Survei Kepuasan Masyarakat (SKM)")
    doc = document(title, period, as_of, generated_at, lang, SIGNERS)
    doc = replace(doc, details=[*doc.details, _("Pembobotan: %(weight)s", weight=_weight_label(legacy))])
    content = write_workbook(sheets, doc)
    return Export(content=content, rows=listed.count)
