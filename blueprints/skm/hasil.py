"""The published SKM results at /skm/hasil: the latest quarter first; another quarter, semester or year through
a GET form (?periode=2026-Q1, 2026-S1 or 2026). Works without JavaScript: the charts are server-made SVG, each
beside a table with the same numbers."""

from __future__ import annotations

from datetime import date

from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _

from blueprints.skm import bp
from blueprints.skm.hasil_page import build, default_period, period_choices
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import QUARTER, SEMESTER, YEAR, Period, parse_period
from zi_public.rules.skm import MIN_PUBLISHED_RESPONDENTS
from zi_public.services.skm import labels

KINDS = (QUARTER, SEMESTER, YEAR)


def _period_asked(today: date) -> tuple[Period, str | None]:
    """The period in ?periode=, or the default one with a notice saying why the asked one is not shown."""
    asked = request.args.get("periode", "")
    if not asked.strip():
        return default_period(today), None
    try:
        return parse_period(asked, KINDS), None
    except ValueError:
        notice = _("Periode tidak dikenali; yang ditampilkan triwulan terakhir yang sudah ada hasilnya.")
        return default_period(today), notice


@bp.route("/hasil", endpoint="hasil")
def hasil():
    """The survey's results for a period: IKM, mutu, kinerja, sample, charts, per layanan, follow-up."""
    today = today_jakarta()
    period, notice = _period_asked(today)
    return render_template(
        "skm/hasil.html",
        page=build(period, today),
        choices=period_choices(today, period),
        notice=notice,
        min_published=MIN_PUBLISHED_RESPONDENTS,
        legacy_label=labels.LEGACY_WEIGHT_LABEL,
        exact_label=labels.EXACT_WEIGHT_LABEL,
        survey_url=url_for("skm.index") if "skm.index" in current_app.view_functions else None,
    )
