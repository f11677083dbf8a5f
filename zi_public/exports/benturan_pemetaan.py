"""Daftar Pemetaan Potensi Benturan Kepentingan

Part F of issue 10, being built: for now the document frame and no rows."""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from zi_public.exports.document import document
from zi_public.exports.xlsx import Export, Sheet, write_workbook
from zi_public.rules.periods import Period

SIGNERS = ("pimpinan", "upg")


def build(period: Period, *, as_of: date, generated_at: datetime, lang: str) -> Export:
    title = _("Daftar Pemetaan Potensi Benturan Kepentingan")
    sheets = [Sheet(title=_("Ringkasan"), heading=title, headers=[_("Uraian")], rows=[], widths=[60])]
    content = write_workbook(sheets, document(title, period, as_of, generated_at, lang, SIGNERS))
    return Export(content=content, rows=0)
