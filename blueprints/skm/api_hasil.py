"""GET /api/v1/skm/hasil?year=&quarter=[&layanan=]: the published SKM results of a quarter, or of a whole year
without `quarter`, overall or for one layanan, as they stand today.

Numbers are JSON numbers rounded half-up, as published: each NRR to 3 decimals, the IKM to 2 (mutu and
kinerja come from that rounded IKM). `sums` gives the exact data (the sum of the answers to each unsur), from
which NRR = sum / respondents and IKM = mean NRR × 25 can be recomputed exactly. A year pools all its
responses (never an average of quarterly IKMs). With nobody answering yet, `respondents` is 0 and nrr, ikm,
mutu and kinerja are null.

Each parameter at most once; unknown parameters are refused; every problem is a 400 in the API's JSON error
format (blueprints/api/parsing.py), never a 500.
"""

from __future__ import annotations

import re
from typing import Any

import sqlalchemy as sa
from flask import jsonify, request
from flask_babel import gettext as _

from blueprints.api.parsing import MAX_UNKNOWN_LISTED, invalid
from blueprints.skm import api_bp as bp
from zi_public.extensions import db, limiter
from zi_public.labels import label
from zi_public.localtime import today_jakarta
from zi_public.models import Layanan
from zi_public.rules.periods import MAX_YEAR, MIN_YEAR, QUARTER, YEAR, Period, make_period
from zi_public.services.skm import labels, results
from zi_public.services.skm.settings import legacy_weighting

HASIL_LIMIT = "120 per minute"
PARAMETERS = ("year", "quarter", "layanan")
LAYANAN_MAX = 40  # the catalogue's code column
_YEAR = re.compile(r"[0-9]{4}")
_QUARTER = re.compile(r"[1-4]")
NRR_PLACES, IKM_PLACES = 3, 2


def _layanan(code: str) -> Layanan | None:
    """Any layanan of the catalogue, retired ones too: their past results stay published."""
    return db.session.scalar(sa.select(Layanan).where(Layanan.code == code))


def read_query() -> tuple[Period, Layanan | None]:
    """The period and layanan asked for, or the 400 naming every bad parameter."""
    errors: dict[str, object] = {}
    for name in [name for name in request.args if name not in PARAMETERS][:MAX_UNKNOWN_LISTED]:
        errors[name[:100]] = _("Parameter tidak dikenal.")
    values: dict[str, str] = {}
    for name in PARAMETERS:
        given = request.args.getlist(name)
        if len(given) > 1:
            errors[name] = _("Kirim parameter ini sekali saja.")
        elif given:
            values[name] = given[0]
    year_text, quarter_text, code = values.get("year"), values.get("quarter"), values.get("layanan")
    if year_text is None:
        errors.setdefault("year", _("Wajib diisi."))
    elif not _YEAR.fullmatch(year_text) or not MIN_YEAR <= int(year_text) <= MAX_YEAR:
        errors["year"] = _("Tahun ditulis empat angka, %(low)d sampai %(high)d.", low=MIN_YEAR, high=MAX_YEAR)
    if quarter_text is not None and not _QUARTER.fullmatch(quarter_text):
        errors["quarter"] = _("Triwulan ditulis 1, 2, 3 atau 4; tanpa triwulan: seluruh tahun.")
    layanan = None
    if code is not None:
        layanan = _layanan(code) if len(code) <= LAYANAN_MAX else None
        if layanan is None:
            errors["layanan"] = _("Kode layanan tidak dikenal; lihat GET /api/v1/layanan.")
    if errors:
        raise invalid(errors)
    year = int(year_text)  # type: ignore[arg-type]
    period = make_period(YEAR, year, 1) if quarter_text is None else make_period(QUARTER, year, int(quarter_text))
    return period, layanan


def hasil_json(found: results.Result, *, legacy: bool, withheld: bool = False) -> dict[str, Any]:
    """A Result (computed with the `legacy` weighting or not) as the API publishes it; `withheld`: a layanan
    with too few respondents, whose answers are not published (rules/skm.py publishable_groups)."""
    ikm = None if withheld else found.ikm
    return {
        "period": {
            "code": found.period.code,
            "kind": found.period.kind,
            "start": found.period.start.isoformat(),
            "end": found.period.end.isoformat(),
        },
        "as_of": found.as_of.isoformat(),
        "layanan": None if found.layanan is None else found.layanan.code,
        "respondents": found.respondents,
        "sums": None if withheld else found.sums(),
        "withheld": withheld,
        "nrr": None if ikm is None else {code: float(v) for code, v in ikm.nrr_rounded(NRR_PLACES).items()},
        "ikm": None if ikm is None else float(ikm.ikm),
        "mutu": None if ikm is None else ikm.mutu,
        "kinerja": None if ikm is None else ikm.kinerja,
        "kinerja_label": None if ikm is None else label(labels.KINERJA_LABELS, ikm.kinerja),
        "legacy": legacy,
        "weighting": str(labels.LEGACY_WEIGHT_LABEL if legacy else labels.EXACT_WEIGHT_LABEL),
        "population": found.population,
        "minimum_sample": found.minimum_sample,
        "sample_sufficient": found.sample_sufficient,
    }


@bp.route("/hasil", endpoint="hasil")
@limiter.limit(HASIL_LIMIT)
def hasil():
    """The results of a quarter or a year (overall, or for one layanan), as they stand today."""
    period, layanan = read_query()
    legacy = legacy_weighting()
    today = today_jakarta()
    found = results.result(period, layanan=layanan, as_of=today, legacy=legacy)
    withheld = layanan is not None and results.published_by_layanan(period, as_of=today).withholds(layanan)
    return jsonify(hasil_json(found, legacy=legacy, withheld=withheld))
