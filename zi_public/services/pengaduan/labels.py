"""The words for pengaduan's enums: one table per enum and purpose, for pages, reports and mail alike.

Short labels (a badge, a select option, a report cell) and the reporter-facing sentences of the public
status page are different purposes, so they are different tables; each has exactly one home, here.
All are lazy_gettext strings with Indonesian source: render them with zi_public.labels.label(), in the
current language for a page, in the language asked for in a report, in Indonesian in a mail.
Shared enums (roles, clock states) are labelled in zi_public/labels.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zi_public.rules.pengaduan import Action, Channel, Identity, Status
from zi_public.services.pengaduan.clocks import FOLLOW_UP, SETTLE, VERIFY

STATUS_LABELS = {
    Status.BARU: _l("Baru"),
    Status.TERVERIFIKASI: _l("Terverifikasi"),
    Status.DITINDAKLANJUTI: _l("Ditindaklanjuti"),
    Status.SELESAI: _l("Selesai"),
    Status.DITOLAK: _l("Ditolak"),
    Status.DIALIHKAN: _l("Dialihkan"),
}
CHANNEL_LABELS = {
    Channel.WEB: _l("Web"),
    Channel.KIOSK: _l("Kios"),
    Channel.API: _l("API"),
    Channel.BOX: _l("Kotak pengaduan"),
    Channel.TELEPHONE: _l("Telepon/call center"),
    Channel.WHATSAPP: _l("WhatsApp"),
    Channel.LETTER: _l("Surat"),
    Channel.WALK_IN: _l("Datang langsung"),
    Channel.EMAIL: _l("Email"),
    Channel.SOCIAL_MEDIA: _l("Media sosial"),
    Channel.LAPOR: _l("SP4N-LAPOR!"),
}
IDENTITY_LABELS = {Identity.TERBUKA: _l("Terbuka"), Identity.RAHASIA: _l("Rahasia"), Identity.ANONIM: _l("Anonim")}
#: The team's history of a case: every action, internal ones included.
ACTION_LABELS = {
    Action.SUBMIT: _l("Pengaduan diterima"),
    Action.VERIFY: _l("Diverifikasi"),
    Action.REJECT: _l("Ditolak"),
    Action.FORWARD: _l("Dialihkan ke instansi lain"),
    Action.DISPOSE: _l("Disposisi ke bidang"),
    Action.FOLLOW_UP: _l("Tindak lanjut"),
    Action.ANSWER: _l("Tanggapan kepada pelapor"),
    Action.FINISH: _l("Diselesaikan"),
    Action.REOPEN: _l("Dibuka kembali oleh tim"),
    Action.CLOSE: _l("Ditutup (masa tanggapan pelapor berakhir)"),
    Action.REPORTER_REPLY: _l("Balasan pelapor"),
    Action.RATE: _l("Penilaian pelapor"),
}
#: The clocks (services/pengaduan/clocks.py) by name, as a list of deadlines in a mail or a report reads them.
CLOCK_NAME_LABELS = {VERIFY: _l("verifikasi"), FOLLOW_UP: _l("tindak lanjut"), SETTLE: _l("penyelesaian")}
#: The reporter's 1-4 rating of how the complaint was handled (Pengaduan.rating).
RATING_LABELS = {1: _l("Tidak puas"), 2: _l("Kurang puas"), 3: _l("Puas"), 4: _l("Sangat puas")}

# -- the reporter's status page: whole sentences, written for the person who filed ----------------

#: Where the complaint stands, said to the reporter.
STATUS_SENTENCES = {
    Status.BARU: _l("Diterima, menunggu verifikasi oleh Tim Pengaduan."),
    Status.TERVERIFIKASI: _l("Terverifikasi; sedang ditangani oleh Tim Pengaduan."),
    Status.DITINDAKLANJUTI: _l("Sedang ditindaklanjuti oleh bidang yang berwenang."),
    Status.SELESAI: _l("Selesai ditangani."),
    Status.DITOLAK: _l("Tidak dapat ditindaklanjuti (ditolak)."),
    Status.DIALIHKAN: _l("Dialihkan ke instansi yang berwenang."),
}
#: The public history, said to the reporter (only public events are ever shown).
EVENT_SENTENCES = {
    Action.SUBMIT: _l("Pengaduan diterima"),
    Action.VERIFY: _l("Pengaduan diverifikasi"),
    Action.REJECT: _l("Pengaduan ditolak"),
    Action.FORWARD: _l("Pengaduan dialihkan ke instansi lain"),
    Action.ANSWER: _l("Tanggapan dari Tim Pengaduan"),
    Action.FINISH: _l("Pengaduan dinyatakan selesai"),
    Action.REOPEN: _l("Pengaduan dibuka kembali"),
    Action.REPORTER_REPLY: _l("Balasan Anda"),
    Action.CLOSE: _l("Pengaduan ditutup"),
}
