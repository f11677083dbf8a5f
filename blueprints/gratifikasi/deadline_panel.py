"""The form's deadline panel in words: what the reporter reads as they type the date, the kind, the value and
the category. One builder for both ways the panel reaches the page: the JSON of GET /gratifikasi/tenggat
(static/js/gratifikasi.js fills the live region with its `lines`) and the server-rendered panel of the
"Hitung tenggat" button (no JavaScript). The facts come from filing.deadline_preview and
gratifikasi_regulations.assess; nothing here decides anything, and nothing here refuses a report.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import gettext as _

from zi_public.i18n import format_long_date, format_rupiah
from zi_public.rules.gratifikasi import Deadline, Kind
from zi_public.rules.gratifikasi_regulations import Assessment, Regulation, assess, regulations
from zi_public.services.gratifikasi.filing import deadline_preview


@dataclass(frozen=True)
class Line:
    tone: str  # "info", "ok", "late" or "warning": the CSS class of the sentence
    text: str


def _deadline_json(deadline: Deadline | None) -> dict[str, object] | None:
    if deadline is None:
        return None
    return {
        "due": deadline.due.isoformat(),
        "length": deadline.length,
        "elapsed": deadline.elapsed,
        "remaining": deadline.remaining,
        "is_late": deadline.is_late,
    }


def build(
    kind: Kind, received_on: date, gift_type: str, value_idr: int | None, exemption: str, *, today: date, locale: str
) -> dict[str, object]:
    """The panel as JSON-ready data: the numbers, the regulation, and the sentences to show (`lines`)."""
    preview = deadline_preview(kind, received_on, today=today)
    regulation = preview.regulation
    assessment = assess(received_on, exemption or None, gift_type or None, value_idr)
    report = preview.report
    lines = _deadline_lines(kind, preview.report, preview.office, regulation, received_on, locale)
    if value_idr is not None:  # how the value typed was read ("1.500.000", "Rp 1.500.000,00" ...)
        lines.append(Line("info", _("Nilai yang terbaca: %(value)s.", value=format_rupiah(value_idr))))
    lines += _exemption_lines(assessment, value_idr, locale)
    return {
        "kind": kind.value,
        "received_on": received_on.isoformat(),
        "today": today.isoformat(),
        "regulation": {
            "code": regulation.code,
            "short": regulation.short.get(locale),
            "name": regulation.name.get(locale),
        },
        "report": _deadline_json(report),
        "office": _deadline_json(preview.office),
        "working_days_since_received": report.elapsed if report else None,
        "is_late": bool(report and report.is_late),
        "late_note": regulation.late_note.get(locale) if report and report.is_late else None,
        "exemption": _exemption_json(assessment, locale),
        "lines": [{"tone": line.tone, "text": line.text} for line in lines],
    }


def _deadline_lines(
    kind: Kind,
    report: Deadline | None,
    office: Deadline | None,
    regulation: Regulation,
    received_on: date,
    locale: str,
) -> list[Line]:
    rule = Line("info", _("Aturan yang berlaku pada tanggal itu: %(name)s.", name=regulation.short.get(locale)))
    if kind == Kind.DITOLAK or report is None or office is None:
        text = _(
            "Pemberian yang ditolak tidak punya batas waktu pelaporan dan tidak pernah terlambat; "
            "laporkan kapan saja agar penolakan Anda tercatat."
        )
        return [Line("ok", text), rule]
    lines = []
    if report.is_late:
        lines.append(
            Line(
                "late",
                _(
                    "Terlambat: sudah %(n)d hari kerja sejak diterima, %(late)d hari kerja melewati batas "
                    "Pasal 12C (30 hari kerja, sampai %(due)s). Laporan tetap diterima dan dicatat terlambat.",
                    n=report.elapsed,
                    late=report.elapsed - report.length,
                    due=format_long_date(report.due),
                ),
            )
        )
        lines.append(Line("warning", regulation.late_note.get(locale)))
    else:
        lines.append(
            Line(
                "ok",
                _(
                    "Tepat waktu: %(n)d hari kerja sejak diterima. Batas Pasal 12C (30 hari kerja): %(due)s, "
                    "sisa %(left)d hari kerja.",
                    n=report.elapsed,
                    due=format_long_date(report.due),
                    left=report.remaining,
                ),
            )
        )
    if office.is_late:
        text = _(
            "Batas kantor untuk melapor ke UPG (%(length)d hari kerja) sudah lewat pada %(due)s; "
            "tetap laporkan sekarang.",
            length=office.length,
            due=format_long_date(office.due),
        )
        lines.append(Line("warning", text))
    else:
        text = _(
            "Batas kantor untuk melapor ke UPG (%(length)d hari kerja): %(due)s, sisa %(left)d hari kerja.",
            length=office.length,
            due=format_long_date(office.due),
            left=office.remaining,
        )
        lines.append(Line("info", text))
    return [*lines, rule]


def _exemption_lines(assessment: Assessment, value_idr: int | None, locale: str) -> list[Line]:
    short = assessment.regulation.short.get(locale)
    if assessment.removed is not None:
        removed_by = next(
            (item for item in regulations() if assessment.removed in item.removed),
            assessment.regulation,
        )
        lines = [
            Line(
                "warning",
                _(
                    "Kategori \u201c%(title)s\u201d dihapus oleh %(regulation)s sejak %(date)s; "
                    "pemberian pada tanggal itu tidak dikecualikan dengan kategori ini.",
                    title=assessment.removed.title.get(locale),
                    regulation=removed_by.short.get(locale),
                    date=format_long_date(removed_by.in_force_from),
                ),
            )
        ]
        if assessment.successor is not None:
            lines.append(
                Line(
                    "info",
                    _(
                        "Pemberian seperti ini kini dinilai dengan kategori \u201c%(title)s\u201d: %(summary)s",
                        title=assessment.successor.title.get(locale),
                        summary=assessment.successor.summary.get(locale),
                    ),
                )
            )
        return lines
    exemption = assessment.exemption
    if exemption is None:
        return []
    title = exemption.title.get(locale)
    if assessment.cash_not_covered:
        text = _(
            "Kategori \u201c%(title)s\u201d hanya untuk pemberian bukan uang; pemberian berupa uang tetap wajib "
            "dilaporkan.",
            title=title,
        )
        return [Line("warning", text)]
    if assessment.over_limit:
        text = _(
            "Nilai %(value)s melebihi batas kategori \u201c%(title)s\u201d menurut %(regulation)s (%(limit)s per "
            "pemberi); pemberian ini tetap wajib dilaporkan.",
            value=format_rupiah(value_idr),
            title=title,
            regulation=short,
            limit=format_rupiah(exemption.limit_per_giver),
        )
        return [Line("warning", text)]
    text = _(
        "Kategori \u201c%(title)s\u201d mungkin berlaku menurut %(regulation)s: %(summary)s Laporan Anda tetap "
        "diterima; UPG dan KPK yang menilai.",
        title=title,
        regulation=short,
        summary=exemption.summary.get(locale),
    )
    return [Line("info", text)]


def _exemption_json(assessment: Assessment, locale: str) -> dict[str, object] | None:
    chosen = assessment.exemption or assessment.removed
    if chosen is None:
        return None
    return {
        "code": chosen.code,
        "title": chosen.title.get(locale),
        "applies": assessment.applies,
        "over_limit": assessment.over_limit,
        "cash_not_covered": assessment.cash_not_covered,
        "removed": assessment.removed is not None,
        "successor": assessment.successor.code if assessment.successor else None,
    }
