"""What a report says of a team's written evaluation: which version it carries and whether it is final.

One home for the monev (pengaduan-monev, per semester) and the UPG's benturan evaluation (benturan-evaluasi, per
quarter); services/evaluation_versions.py keeps the versions themselves.
"""

from __future__ import annotations

from flask_babel import gettext as _

from zi_public.exports.document import long_date, period_label
from zi_public.localtime import to_jakarta
from zi_public.models import PeriodEvaluation
from zi_public.rules.periods import Period
from zi_public.services import evaluations


def finalized_day(moment: object, lang: str) -> str:
    """A stored UTC moment (finalized, archived) as the Jakarta day in the report's language."""
    return long_date(to_jakarta(moment).date(), lang)  # type: ignore[arg-type]


def version_text(evaluation: PeriodEvaluation | None, lang: str) -> str:
    """'versi 2, final (ditetapkan 5 Januari 2027)', 'versi 1, draf', or 'belum ditulis'."""
    if evaluation is None:
        return _("belum ditulis")
    if evaluation.is_final:
        return _(
            "versi %(n)d, final (ditetapkan %(day)s)",
            n=evaluation.version_no,
            day=finalized_day(evaluation.finalized_at, lang),
        )
    return _("versi %(n)d, draf (belum final)", n=evaluation.version_no)


def version_line(scope: str, period: Period, lang: str) -> str:
    """The title block's line on the team's evaluation: its version and whether it is final (a longer period:
    each of the scope's own periods in turn, e.g. each semester of a year)."""
    periods = evaluations.periods_of(scope, period)
    parts = [
        (f"{period_label(p, lang)}: " if len(periods) > 1 else "")
        + version_text(evaluations.get_evaluation(scope, p), lang)
        for p in periods
    ]
    return _("Evaluasi tim: %(versions)s", versions="; ".join(parts))
