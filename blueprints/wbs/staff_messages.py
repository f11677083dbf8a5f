"""What the Tim WBS's pages say after an action: a success, or why it was refused (by the service's code)."""

from __future__ import annotations

from flask_babel import gettext as _

from zi_public.forms import TEXT_PROBLEM_MESSAGES
from zi_public.models import WbsReport
from zi_public.rules.text import TextProblem
from zi_public.rules.wbs import Action
from zi_public.services.wbs.flow import NOTE_MAX, REFERENCE_MAX
from zi_public.services.wbs.labels import HANDLING_LABELS, OUTCOME_LABELS
from zi_public.services.wbs.unseal import REASON_MAX


def success_message(action: Action, report: WbsReport) -> str:
    if action == Action.TELAAH:
        if report.names_party and report.describes_deviation and report.has_evidence:
            return _("Telaah dicatat: laporan memenuhi kriteria dan dapat ditindaklanjuti.")
        return _("Telaah dicatat: laporan belum memenuhi semua kriteria. Minta bukti kepada pelapor atau tolak.")
    if action == Action.FOLLOW_UP:
        return _("Laporan ditindaklanjuti: %(handling)s.", handling=HANDLING_LABELS[report.handling])
    if action == Action.FINISH:
        return _("Laporan selesai: %(outcome)s.", outcome=OUTCOME_LABELS[report.outcome])
    return _("Laporan ditolak; alasannya dikirim kepada pelapor sebagai pesan.")


def refusal_message(code: str, form: str = "") -> str:
    """The words for a refusal of the flow, a message or a move (`form`: which form was sent)."""
    unreadable = str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE])
    messages = {
        "flow": _(
            "Tindakan ini tidak dapat dilakukan pada status laporan saat ini (mungkin baru diubah anggota lain)."
        ),
        "not_team": _("Hanya anggota aktif Tim WBS yang dapat menangani laporan WBS."),
        "body_required": _("Tulis alasan penolakan untuk pelapor.")
        if form == "reject"
        else _("Tulis isi pesan atau catatan."),
        "body_too_long": _("Teks terlalu panjang: paling banyak %(n)d karakter.", n=NOTE_MAX),
        "body_unreadable": unreadable,
        "criteria_not_met": _(
            "Laporan belum memenuhi ketiga kriteria telaah (pihak, penyimpangan, bukti awal). Perbarui telaah bila "
            "bukti sudah ada, atau tolak laporan."
        ),
        "handling_required": _("Pilih penanganan: Tim WBS, Inspektorat (APIP) atau aparat penegak hukum (APH)."),
        "referred_on_required": _("Isi tanggal pelimpahan."),
        "referred_on_future": _("Tanggal pelimpahan tidak boleh setelah hari ini."),
        "referred_on_before_received": _("Tanggal pelimpahan tidak boleh sebelum laporan diterima."),
        "reference_required": _("Isi nomor surat pelimpahan."),
        "reference_too_long": _("Nomor surat paling banyak %(n)d karakter.", n=REFERENCE_MAX),
        "reference_unreadable": unreadable,
        "outcome_required": _("Pilih hasil: terbukti atau tidak terbukti."),
        "move_not_rejected": _("Hanya laporan yang ditolak yang dapat dipindahkan ke pengaduan."),
        "move_done": _("Laporan ini sudah dipindahkan ke pengaduan."),
        "consent_required": _(
            "Pilih pesan pelapor yang berisi persetujuannya; tanpa persetujuan laporan tidak dipindahkan."
        ),
        "pengaduan_invalid": _("Periksa isian pengaduan di bawah."),
    }
    return messages.get(code) or unseal_message(code)


def unseal_message(code: str) -> str:
    """The words for a refused step of opening the sealed identity."""
    messages = {
        "not_team": _("Hanya anggota aktif Tim WBS yang dapat membuka identitas."),
        "no_identity": _("Pelapor tidak memberikan identitas."),
        "reason_required": _("Tulis alasan membuka identitas."),
        "reason_too_long": _("Alasan paling banyak %(n)d karakter.", n=REASON_MAX),
        "reason_unreadable": str(TEXT_PROBLEM_MESSAGES[TextProblem.UNREADABLE]),
        "already_pending": _("Permintaan Anda masih menunggu keputusan anggota lain."),
        "already_open": _("Permintaan Anda sudah disetujui; identitas dapat dilihat."),
        "own_request": _("Permintaan Anda sendiri harus diputuskan oleh anggota Tim WBS yang lain."),
        "decided": _("Permintaan ini sudah diputuskan."),
        "not_found": _("Permintaan tidak ditemukan pada laporan ini."),
        "not_approved": _(
            "Identitas hanya dapat dilihat oleh peminta setelah disetujui anggota lain, dan selama masa "
            "berlakunya persetujuan."
        ),
    }
    return messages.get(code, _("Tindakan ini tidak dapat dilakukan."))
