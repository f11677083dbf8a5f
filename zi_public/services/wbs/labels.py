"""The words for WBS's enums: one table per enum and purpose, for pages, reports and the API alike.

All are lazy_gettext strings with Indonesian source: render them with zi_public.labels.label() (in the
current language for a page, in the language asked for in a report). Shared enums (roles, clock states)
are labelled in zi_public/labels.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zi_public.rules.wbs import Action, Handling, Outcome, Sender, Status
from zi_public.services.wbs.clocks import FIRST_ANSWER, TELAAH

STATUS_LABELS = {
    Status.DITERIMA: _l("Diterima"),
    Status.DITELAAH: _l("Ditelaah"),
    Status.DITINDAKLANJUTI: _l("Ditindaklanjuti"),
    Status.SELESAI: _l("Selesai"),
    Status.DITOLAK: _l("Ditolak"),
}
OUTCOME_LABELS = {Outcome.TERBUKTI: _l("Terbukti"), Outcome.TIDAK_TERBUKTI: _l("Tidak terbukti")}
HANDLING_LABELS = {
    Handling.TIM: _l("Ditangani Tim WBS"),
    Handling.APIP: _l("Dilimpahkan ke Inspektorat (APIP)"),
    Handling.APH: _l("Dilimpahkan ke aparat penegak hukum (APH)"),
}
#: Who wrote a message, as the team's conversation shows it.
SENDER_LABELS = {Sender.REPORTER: _l("Pelapor"), Sender.TEAM: _l("Tim WBS"), Sender.NOTE: _l("Catatan internal")}
#: The team's buttons and the audit trail's words for the flow's actions.
ACTION_LABELS = {
    Action.TELAAH: _l("Telaah"),
    Action.FOLLOW_UP: _l("Tindak lanjut"),
    Action.FINISH: _l("Selesaikan"),
    Action.REJECT: _l("Tolak"),
}
#: The SE's three criteria (SE MenPANRB 08/M.PAN-RB/06/2012), by WbsReport column.
CRITERIA_LABELS = {
    "names_party": _l("Menyebut pihak yang terlibat"),
    "describes_deviation": _l("Menguraikan penyimpangan"),
    "has_evidence": _l("Disertai bukti awal"),
}
#: The clocks (services/wbs/clocks.py) by name.
CLOCK_NAME_LABELS = {FIRST_ANSWER: _l("jawaban pertama"), TELAAH: _l("telaah")}
