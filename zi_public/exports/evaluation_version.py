"""What a report says of a team's written evaluation: which version it carries and whether it is final, and the
rows of its text with the earlier final versions.

One home for the monev (pengaduan-monev, per semester) and the quarterly evaluations (benturan-evaluasi,
wbs-evaluasi); services/evaluation_versions.py keeps the versions themselves.
"""

from __future__ import annotations

from flask_babel import gettext as _

from zi_public.exports.document import long_date, period_label
from zi_public.localtime import to_jakarta
from zi_public.models import PeriodEvaluation
from zi_public.rules.periods import Period
from zi_public.services import evaluation_versions, evaluations


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


def parts(scope: str, period: Period, lang: str) -> list[tuple[Period, str]]:
    """The scope's periods `period` is made of (itself, or e.g. each semester of a year), each with what its rows
    start with: its name when there are several ('Semester I 2026: '), else nothing."""
    periods = evaluations.periods_of(scope, period)
    return [(p, f"{period_label(p, lang)}: " if len(periods) > 1 else "") for p in periods]


def version_line(scope: str, period: Period, lang: str) -> str:
    """The title block's line on the team's evaluation: its version and whether it is final (a longer period:
    each of the scope's own periods in turn, e.g. each semester of a year)."""
    texts = [
        prefix + version_text(evaluations.get_evaluation(scope, p), lang) for p, prefix in parts(scope, period, lang)
    ]
    return _("Evaluasi tim: %(versions)s", versions="; ".join(texts))


def written_rows(scope: str, part: Period, prefix: str, lang: str) -> list[list[object]]:
    """The team's text of `part` (one of the scope's periods) with its version, when it was last saved and the
    earlier final versions, as [name, value] rows, each name starting with `prefix` (see parts)."""
    written = evaluations.get_evaluation(scope, part)
    rows: list[list[object]] = [
        [prefix + _("Versi"), version_text(written, lang)],
        [prefix + _("Evaluasi"), written.text if written and written.text else _("(belum diisi)")],
        [prefix + _("Terakhir diperbarui"), to_jakarta(written.updated_at) if written else None],
    ]
    rows += [
        [
            prefix + _("Versi %(n)d (final, diganti)", n=archived.version_no),
            _(
                "ditetapkan %(day)s, diganti %(replaced)s",
                day=finalized_day(archived.finalized_at, lang),
                replaced=finalized_day(archived.archived_at, lang),
            ),
        ]
        for archived in evaluation_versions.archived_versions(scope, part)
    ]
    return rows
