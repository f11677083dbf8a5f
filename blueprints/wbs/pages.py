"""Helpers behind the whistle-blower's pages: the texts the Tim WBS keeps (the office's regulation, the SOP),
category names. The views stay checklists."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from zi_public.i18n import format_long_date
from zi_public.localtime import today_jakarta
from zi_public.models.wbs import WbsCategory, WbsReport
from zi_public.rules.clocks import ClockState
from zi_public.rules.wbs import Status
from zi_public.services import reference
from zi_public.services.settings import get_setting
from zi_public.services.wbs.clocks import FIRST_ANSWER, TELAAH, clocks_of

#: The settings the Tim WBS edits (services/wbs/settings.py); blank means "not written yet".
TEXT_SETTINGS = ("wbs_regulation_title", "wbs_regulation_text", "wbs_sop_text")


@dataclass(frozen=True)
class Texts:
    regulation_title: str
    regulation_text: str
    sop_text: str


def texts() -> Texts:
    """The texts as the Tim WBS saved them ("" for one never written: the page shows its default)."""
    values = []
    for key in TEXT_SETTINGS:
        try:
            value = get_setting(key)
        except KeyError:  # a setting not declared (yet): the page's default
            value = ""
        values.append(value if isinstance(value, str) else "")
    return Texts(*values)


def category_name(code: str) -> str:
    """A category's name in the visitor's language (retired ones too: an old report keeps its category)."""
    for item in reference.every_row(WbsCategory):
        if item.code == code:
            return reference.localized_name(item, str(get_locale()))
    return code


#: The status as a sentence for the reporter (the team's short labels: services/wbs/labels.py).
STATUS_SENTENCES = {
    Status.DITERIMA: _l("Laporan Anda sudah diterima dan menunggu ditelaah oleh Tim WBS."),
    Status.DITELAAH: _l("Tim WBS sedang menelaah laporan Anda."),
    Status.DITINDAKLANJUTI: _l("Laporan Anda sedang ditindaklanjuti."),
    Status.SELESAI: _l("Penanganan laporan Anda sudah selesai."),
    Status.DITOLAK: _l("Laporan Anda tidak dapat ditangani melalui WBS. Baca pesan Tim WBS untuk alasannya."),
}


_CLOCK_SENTENCES = {
    (FIRST_ANSWER, ClockState.RUNNING): _l("Tim WBS menanggapi laporan Anda paling lambat %(due)s."),
    (FIRST_ANSWER, ClockState.OVERDUE): _l(
        "Tim WBS seharusnya menanggapi paling lambat %(due)s; batas ini sudah terlewati."
    ),
    (FIRST_ANSWER, ClockState.MET): _l("Tim WBS menanggapi pada %(done)s, tepat waktu (batas %(due)s)."),
    (FIRST_ANSWER, ClockState.MISSED): _l("Tim WBS menanggapi pada %(done)s, melewati batas %(due)s."),
    (TELAAH, ClockState.RUNNING): _l("Telaah laporan selesai paling lambat %(due)s."),
    (TELAAH, ClockState.OVERDUE): _l("Telaah seharusnya selesai paling lambat %(due)s; batas ini sudah terlewati."),
    (TELAAH, ClockState.MET): _l("Laporan ditelaah pada %(done)s, tepat waktu (batas %(due)s)."),
    (TELAAH, ClockState.MISSED): _l("Laporan ditelaah pada %(done)s, melewati batas %(due)s."),
}


def clock_sentences(report: WbsReport) -> list[str]:
    """The team's two deadlines as sentences for the reporter (the dates only, as everything else here)."""
    sentences = []
    for clock in clocks_of(report, today_jakarta()):
        text = _CLOCK_SENTENCES.get((clock.name, clock.state))
        if text is not None:
            words = {"due": format_long_date(clock.due), "done": format_long_date(clock.done_on)}
            sentences.append(str(text % words))
    return sentences
