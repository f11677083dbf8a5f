"""The words for gratifikasi's enums (rules/gratifikasi.py): one table per enum and purpose, for pages,
reports, the API and mail alike.

All are lazy_gettext strings with Indonesian source: render them with zi_public.labels.label() (in the
current language for a page, in the language asked for in a report, in Indonesian in a mail). Shared enums
(roles, clock states) are labelled in zi_public/labels.py.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from zi_public.rules.gratifikasi import (
    Action,
    Channel,
    CustodyExit,
    Decision,
    Disposition,
    GiftLocation,
    GiftType,
    Kind,
    Status,
)
from zi_public.services.gratifikasi.clocks import COMPLETION, FORWARD

#: KPK's own words for the two kinds of report; not "Diterima"/"Ditolak" alone, whose English (a complaint's
#: "Rejected") would say the UPG refused the report.
KIND_LABELS = {Kind.DITERIMA: _l("Penerimaan gratifikasi"), Kind.DITOLAK: _l("Penolakan gratifikasi")}
STATUS_LABELS = {
    Status.BARU: _l("Baru"),
    Status.PERLU_KELENGKAPAN: _l("Perlu kelengkapan"),
    Status.DIVERIFIKASI: _l("Diverifikasi"),
    Status.DITERUSKAN: _l("Diteruskan ke KPK"),
    Status.DITETAPKAN: _l("Ditetapkan KPK"),
    Status.SELESAI: _l("Selesai"),
    Status.TIDAK_LENGKAP: _l("Tidak lengkap (ditutup)"),
}
DECISION_LABELS = {Decision.MILIK_NEGARA: _l("Milik negara"), Decision.MILIK_PENERIMA: _l("Milik penerima")}
GIFT_TYPE_LABELS = {
    GiftType.UANG: _l("Uang"),
    GiftType.BARANG: _l("Barang"),
    GiftType.RABAT: _l("Rabat (diskon)"),
    GiftType.KOMISI: _l("Komisi"),
    GiftType.PINJAMAN: _l("Pinjaman tanpa bunga"),
    GiftType.TIKET: _l("Tiket perjalanan"),
    GiftType.PENGINAPAN: _l("Fasilitas penginapan"),
    GiftType.WISATA: _l("Perjalanan wisata"),
    GiftType.PENGOBATAN: _l("Pengobatan cuma-cuma"),
    GiftType.FASILITAS: _l("Fasilitas lainnya"),
    GiftType.LAINNYA: _l("Lainnya"),
}
GIFT_LOCATION_LABELS = {
    GiftLocation.PELAPOR: _l("Masih pada pelapor"),
    GiftLocation.UPG: _l("Dititipkan ke UPG"),
    GiftLocation.TIDAK_ADA: _l("Tidak ada (habis, mudah rusak, atau tidak pernah diterima)"),
}
DISPOSITION_LABELS = {
    Disposition.DISERAHKAN_KPK: _l("Diserahkan ke KPK/negara"),
    Disposition.DIKEMBALIKAN: _l("Dikembalikan kepada pelapor"),
    Disposition.DIMANFAATKAN: _l("Dimanfaatkan sesuai keputusan KPK"),
    Disposition.DITOLAK_PELAPOR: _l("Ditolak pelapor sejak awal"),
    Disposition.LAINNYA: _l("Lainnya"),
}
CUSTODY_EXIT_LABELS = {
    CustodyExit.DISERAHKAN_KPK: _l("Diserahkan ke KPK/negara"),
    CustodyExit.DIKEMBALIKAN: _l("Dikembalikan kepada pelapor"),
    CustodyExit.DIMANFAATKAN: _l("Dimanfaatkan sesuai keputusan KPK"),
    CustodyExit.LAINNYA: _l("Lainnya"),
}
CHANNEL_LABELS = {Channel.WEB: _l("Web"), Channel.API: _l("API")}
#: The UPG's history of a case: every action, internal ones included.
ACTION_LABELS = {
    Action.SUBMIT: _l("Laporan gratifikasi diterima"),
    Action.REQUEST_COMPLETION: _l("Permintaan kelengkapan kepada pelapor"),
    Action.COMPLETE: _l("Kelengkapan diterima"),
    Action.VERIFY: _l("Diverifikasi"),
    Action.FORWARD: _l("Diteruskan ke KPK"),
    Action.DECIDE: _l("Penetapan status oleh KPK"),
    Action.FINISH: _l("Diselesaikan"),
    Action.CLOSE_INCOMPLETE: _l("Ditutup karena tidak dilengkapi"),
    Action.NOTE: _l("Catatan internal"),
}
#: The UPG's buttons for the flow's actions.
ACTION_BUTTON_LABELS = {
    Action.REQUEST_COMPLETION: _l("Minta kelengkapan"),
    Action.COMPLETE: _l("Catat kelengkapan"),
    Action.VERIFY: _l("Verifikasi"),
    Action.FORWARD: _l("Teruskan ke KPK"),
    Action.DECIDE: _l("Catat penetapan KPK"),
    Action.FINISH: _l("Selesaikan"),
    Action.CLOSE_INCOMPLETE: _l("Tutup: tidak lengkap"),
    Action.NOTE: _l("Tambah catatan"),
}
#: The clocks (services/gratifikasi/clocks.py) by name.
CLOCK_NAME_LABELS = {FORWARD: _l("penerusan ke KPK"), COMPLETION: _l("kelengkapan laporan")}

# -- the reporter's status page: whole sentences, written for the person who reported -------------

#: Where the report stands, said to the reporter.
STATUS_SENTENCES = {
    Status.BARU: _l("Diterima, menunggu verifikasi oleh UPG."),
    Status.PERLU_KELENGKAPAN: _l("UPG meminta Anda melengkapi laporan."),
    Status.DIVERIFIKASI: _l("Terverifikasi; akan diteruskan ke KPK."),
    Status.DITERUSKAN: _l("Diteruskan ke KPK; menunggu penetapan status."),
    Status.DITETAPKAN: _l("KPK telah menetapkan status gratifikasi."),
    Status.SELESAI: _l("Selesai ditangani."),
    Status.TIDAK_LENGKAP: _l("Ditutup karena tidak dilengkapi dalam batas waktu."),
}
#: The public history, said to the reporter (only public events are ever shown).
EVENT_SENTENCES = {
    Action.SUBMIT: _l("Laporan gratifikasi diterima"),
    Action.REQUEST_COMPLETION: _l("UPG meminta kelengkapan laporan"),
    Action.COMPLETE: _l("Kelengkapan laporan diterima"),
    Action.VERIFY: _l("Laporan diverifikasi"),
    Action.FORWARD: _l("Laporan diteruskan ke KPK"),
    Action.DECIDE: _l("KPK menetapkan status gratifikasi"),
    Action.FINISH: _l("Laporan selesai ditangani"),
    Action.CLOSE_INCOMPLETE: _l("Laporan ditutup karena tidak dilengkapi"),
}
