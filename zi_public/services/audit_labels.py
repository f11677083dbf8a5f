"""The audit log in words: one sentence per action code the code base records, in the UI's language.

An entry keeps its code (`pengaduan.read`), which the page still shows, small, and filters by; the sentence
("Membaca pengaduan PGD-2026-000012") is built from the entry's own fields only: the target, and a few named
values of its data. Audit data never holds a secret or an encrypted field (codes, receipts, passwords, the
reporter's identity are never written to it), and a sentence shows no more than the data does.
tests/blueprints/test_audit_log_sentences.py scans the source for every code recorded and fails when one has
no sentence here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import LazyString, get_locale
from flask_babel import lazy_gettext as _l

from zi_public.extensions import db
from zi_public.i18n import format_short_date, period_name
from zi_public.labels import ROLE_LABELS, label
from zi_public.models import AuditEntry, Layanan, Role, User
from zi_public.models.account_link import LinkPurpose
from zi_public.rules import gratifikasi as gratifikasi_rules
from zi_public.rules import pengaduan as pengaduan_rules
from zi_public.rules import wbs as wbs_rules
from zi_public.rules.periods import parse_period
from zi_public.security.permissions import CASE_READERS
from zi_public.services.evaluations import SCOPES
from zi_public.services.pengaduan.labels import CHANNEL_LABELS
from zi_public.services.reference import localized_name

#: A sentence: a message with %(name)s placeholders, or a rule that picks one from the entry's values.
Sentence = LazyString | Callable[[Mapping[str, object]], LazyString]

#: What an entry's target is called in a sentence (`%(target)s`), by its table; `%(ref)s` is its number,
#: its username or its id.
TARGET_NAMES: dict[str, LazyString] = {
    "pengaduan": _l("pengaduan %(ref)s"),
    "wbs_report": _l("laporan WBS %(ref)s"),
    "wbs_message": _l("pesan WBS %(ref)s"),
    "wbs_socialisation": _l("kegiatan sosialisasi WBS %(ref)s"),
    "gratifikasi_report": _l("laporan gratifikasi %(ref)s"),
    "gratifikasi_custody": _l("barang titipan %(ref)s"),
    "upg_campaign_activity": _l("kegiatan kampanye %(ref)s"),
    "conflict_declaration": _l("deklarasi benturan kepentingan %(ref)s"),
    "skm_follow_up_item": _l("tindak lanjut SKM %(ref)s"),
    "user_account": _l("pengguna %(ref)s"),
    "outbox_mail": _l("surel %(ref)s"),
    "kiosk_device": _l("perangkat kiosk %(ref)s"),
}

#: Who did it, when no staff account did (actor_id is empty).
ACTOR_LABELS: dict[str, LazyString] = {
    "reporter": _l("pelapor (tanpa akun)"),
    "wbs-reporter": _l("pelapor WBS"),
    "system": _l("sistem"),
    "cli": _l("baris perintah"),
}

_PENGADUAN_ACTIONS: dict[pengaduan_rules.Action, LazyString] = {
    pengaduan_rules.Action.SUBMIT: _l("Pengaduan %(number)s diajukan"),
    pengaduan_rules.Action.VERIFY: _l("Memverifikasi pengaduan %(number)s"),
    pengaduan_rules.Action.REJECT: _l("Menolak pengaduan %(number)s"),
    pengaduan_rules.Action.FORWARD: _l("Mengalihkan pengaduan %(number)s ke instansi lain"),
    pengaduan_rules.Action.DISPOSE: _l("Mendisposisikan pengaduan %(number)s ke bidang"),
    pengaduan_rules.Action.FOLLOW_UP: _l("Mencatat tindak lanjut pengaduan %(number)s"),
    pengaduan_rules.Action.ANSWER: _l("Menanggapi pengaduan %(number)s"),
    pengaduan_rules.Action.FINISH: _l("Menyelesaikan pengaduan %(number)s"),
    pengaduan_rules.Action.REOPEN: _l("Membuka kembali pengaduan %(number)s"),
    pengaduan_rules.Action.CLOSE: _l("Menutup pengaduan %(number)s (masa tanggapan pelapor berakhir)"),
    pengaduan_rules.Action.REPORTER_REPLY: _l("Pelapor membalas pada pengaduan %(number)s"),
    pengaduan_rules.Action.RATE: _l("Pelapor menilai penanganan pengaduan %(number)s"),
}
_WBS_ACTIONS: dict[wbs_rules.Action, LazyString] = {
    wbs_rules.Action.TELAAH: _l("Menelaah laporan WBS %(ref)s"),
    wbs_rules.Action.FOLLOW_UP: _l("Menindaklanjuti laporan WBS %(ref)s"),
    wbs_rules.Action.FINISH: _l("Menyelesaikan laporan WBS %(ref)s"),
    wbs_rules.Action.REJECT: _l("Menolak laporan WBS %(ref)s"),
}
_GRATIFIKASI_ACTIONS: dict[gratifikasi_rules.Action, LazyString] = {
    gratifikasi_rules.Action.SUBMIT: _l("Laporan gratifikasi %(number)s diajukan"),
    gratifikasi_rules.Action.REQUEST_COMPLETION: _l("Meminta pelapor melengkapi laporan gratifikasi %(number)s"),
    gratifikasi_rules.Action.COMPLETE: _l("Mencatat kelengkapan laporan gratifikasi %(number)s"),
    gratifikasi_rules.Action.VERIFY: _l("Memverifikasi laporan gratifikasi %(number)s"),
    gratifikasi_rules.Action.FORWARD: _l("Meneruskan laporan gratifikasi %(number)s ke KPK"),
    gratifikasi_rules.Action.DECIDE: _l("Mencatat penetapan KPK atas laporan gratifikasi %(number)s"),
    gratifikasi_rules.Action.FINISH: _l("Menyelesaikan laporan gratifikasi %(number)s"),
    gratifikasi_rules.Action.CLOSE_INCOMPLETE: _l("Menutup laporan gratifikasi %(number)s karena tidak lengkap"),
    gratifikasi_rules.Action.NOTE: _l("Menambahkan catatan pada laporan gratifikasi %(number)s"),
}
#: The one-time links of services/account_links.py (`user.<purpose>`, `_approve`, `_reject`).
_LINKS: dict[LinkPurpose, tuple[LazyString, LazyString, LazyString]] = {
    LinkPurpose.INVITE: (
        _l("Membuat tautan undangan untuk pengguna %(user)s"),
        _l("Menyetujui tautan undangan untuk pengguna %(user)s"),
        _l("Membatalkan tautan undangan untuk pengguna %(user)s"),
    ),
    LinkPurpose.RESET: (
        _l("Membuat tautan atur ulang kata sandi untuk pengguna %(user)s"),
        _l("Menyetujui tautan atur ulang kata sandi untuk pengguna %(user)s"),
        _l("Membatalkan tautan atur ulang kata sandi untuk pengguna %(user)s"),
    ),
}
#: The evaluations of services/evaluations.py, one scope each (`<audit_prefix>.<operation>`), by what they are
#: called in a sentence (`%(scope)s`).
EVALUATION_SCOPES: dict[str, LazyString] = {
    "benturan": _l("evaluasi benturan kepentingan"),
    "pengaduan_monev": _l("monev pengaduan"),
    "wbs": _l("evaluasi WBS"),
}
_EVALUATION_OPERATIONS: dict[str, LazyString] = {
    "evaluation_update": _l("Mengubah %(scope)s %(period)s"),
    "evaluation_finalize": _l("Menetapkan %(scope)s %(period)s sebagai final"),
    "evaluation_new_version": _l("Membuka versi baru %(scope)s %(period)s"),
    "follow_up_item_add": _l("Menambahkan butir tindak lanjut %(scope)s %(period)s"),
    "follow_up_item_edit": _l("Mengubah isi butir tindak lanjut %(ref)s %(scope)s"),
    "follow_up_item_update": _l("Mengubah status butir tindak lanjut %(ref)s %(scope)s"),
}
#: A staff member opens a file of a case (services/attachments.download): the copy shown, or the original.
_DOWNLOAD = _l("Mengunduh lampiran %(target)s")
_DOWNLOAD_ORIGINAL = _l("Mengunduh berkas asli lampiran %(target)s")


def _when(flag: str, yes: LazyString, no: LazyString) -> Callable[[Mapping[str, object]], LazyString]:
    """A sentence that depends on a true/false value of the entry's data."""
    return lambda values: yes if values.get(flag) else no


def _pengaduan_create(values: Mapping[str, object]) -> LazyString:
    """Filed by the reporter, or recorded by the team (services/pengaduan/intake): on the day received or later."""
    if values.get("backdated"):
        return _l(
            "Mencatat pengaduan %(number)s yang diterima melalui %(channel)s pada %(received_on)s (tanggal lampau)"
        )
    if values.get("recorded"):
        return _l("Mencatat pengaduan %(number)s yang diterima melalui %(channel)s")
    return _l("Pengaduan %(number)s masuk melalui %(channel)s")


SENTENCES: dict[str, Sentence] = {
    # accounts and sign-in
    "user.create": _l("Membuat akun %(user)s dengan peran %(role)s"),
    "user.login": _l("Masuk ke area internal"),
    "user.logout": _l("Keluar dari area internal"),
    "user.sign_out_everywhere": _l("Mengakhiri semua sesi pengguna %(user)s"),
    "user.password_change": _l("Mengganti kata sandinya sendiri"),
    "user.password_reset": _l("Mengatur ulang kata sandi pengguna %(user)s"),
    "user.password_set": _l("Menetapkan kata sandi melalui tautan"),
    "user.role_change": _l("Mengubah peran pengguna %(user)s menjadi %(to_role)s"),
    "user.role_request": _l("Mengajukan peran %(to_role)s untuk pengguna %(user)s (menunggu persetujuan)"),
    "user.role_request_withdrawn": _l("Menarik kembali permintaan peran untuk pengguna %(user)s"),
    "user.role_approve": _l("Menyetujui peran %(to_role)s untuk pengguna %(user)s"),
    "user.role_reject": _l("Menolak peran %(role)s untuk pengguna %(user)s"),
    "user.enable": _l("Mengaktifkan akun %(user)s"),
    "user.disable": _l("Menonaktifkan akun %(user)s"),
    "user.unlock": _l("Membuka kunci akun %(user)s"),
    "user.locked": _l("Akun %(user)s terkunci sementara setelah %(failures)s kali gagal masuk"),
    "user.link_code_exhausted": _l("Tautan pengguna %(user)s ditutup: kode salah terlalu sering"),
    "user.totp_enrolment_start": _l("Mulai memasang verifikasi 2 langkah"),
    "user.totp_enable": _l("Mengaktifkan verifikasi 2 langkah akun %(user)s"),
    "user.totp_reset": _l("Mengatur ulang verifikasi 2 langkah akun %(user)s"),
    **{f"user.{purpose.value}": texts[0] for purpose, texts in _LINKS.items()},
    **{f"user.{purpose.value}_approve": texts[1] for purpose, texts in _LINKS.items()},
    **{f"user.{purpose.value}_reject": texts[2] for purpose, texts in _LINKS.items()},
    # the admin's other work and the operator's commands
    "setting.change": _l("Mengubah pengaturan %(target_id)s"),
    "calendar.override_add": _when(
        "is_working_day", _l("Menetapkan %(day)s sebagai hari kerja"), _l("Menetapkan %(day)s sebagai hari libur")
    ),
    "calendar.override_remove": _l("Menghapus pengecualian hari kerja pada %(day)s"),
    "kiosk.register": _l("Mendaftarkan perangkat kiosk %(name)s"),
    "kiosk.activate": _l("Menjadikan sebuah browser perangkat kiosk %(name)s"),
    "kiosk.revoke": _l("Mencabut perangkat kiosk %(name)s"),
    "outbox.retry": _l("Mengirim ulang %(target)s yang gagal terkirim"),
    "report.export": _l("Mengunduh laporan %(target_id)s periode %(period)s"),
    "reference.seed": _l("Mengisi data referensi (kategori, layanan, bidang)"),
    "keys.rotate": _l("Merotasi kunci enkripsi (kunci utama %(target_id)s)"),
    "backup.create": _l("Membuat cadangan %(target_id)s"),
    "backup.restore": _l("Memulihkan cadangan %(file)s"),
    "audit.anchor_epoch": _l("Memulai jangkar log audit baru (epoch %(target_id)s)"),
    # pengaduan
    "pengaduan.create": _pengaduan_create,
    "pengaduan.read": _l("Membaca pengaduan %(number)s"),
    "pengaduan.monev_update": _l("Mengubah monev pengaduan %(period)s"),
    **{f"pengaduan.{action.value}": text for action, text in _PENGADUAN_ACTIONS.items()},
    # WBS
    "wbs.read": _l("Membaca laporan WBS %(ref)s"),
    "wbs.telaah_revise": _l("Merevisi telaah laporan WBS %(ref)s"),
    "wbs.move_to_pengaduan": _l("Memindahkan laporan WBS %(ref)s menjadi pengaduan %(number)s"),
    "wbs.message_send": _l("Mengirim pesan kepada pelapor laporan WBS %(ref)s"),
    "wbs.note_add": _l("Menambahkan catatan internal pada laporan WBS %(ref)s"),
    "wbs.report_filed": _l("Laporan WBS %(ref)s masuk"),
    "wbs.reporter_message": _l("Pelapor mengirim pesan pada laporan WBS %(ref)s (%(times)s kali hari itu)"),
    "wbs.reporter_session": _l("Pelapor membuka status laporan WBS %(ref)s (%(times)s kali hari itu)"),
    "wbs.unseal_request": _l("Meminta pembukaan identitas pelapor laporan WBS %(ref)s"),
    "wbs.unseal_approve": _l("Menyetujui pembukaan identitas pelapor laporan WBS %(ref)s"),
    "wbs.unseal_refuse": _l("Menolak pembukaan identitas pelapor laporan WBS %(ref)s"),
    "wbs.identity_view": _l("Melihat identitas pelapor laporan WBS %(ref)s"),
    "wbs.purge_warning": _l("Mengirim peringatan penghapusan %(count)s laporan WBS"),
    "wbs.purge": _l("Menghapus isi laporan WBS %(ref)s (masa simpan berakhir)"),
    "wbs.socialisation_add": _l("Mencatat kegiatan sosialisasi WBS tanggal %(held_on)s"),
    # written before the WBS evaluation became a period evaluation (migration 8cc7b0603def); today's entries are
    # the evaluations' (wbs.evaluation_update, wbs.follow_up_item_add, ... below)
    "wbs.follow_up_item_status": _l("Mengubah status butir tindak lanjut evaluasi WBS %(ref)s"),
    **{f"wbs.{action.value}": text for action, text in _WBS_ACTIONS.items()},
    # gratifikasi and the UPG
    "gratifikasi.create": _l("Laporan gratifikasi %(number)s masuk"),
    "gratifikasi.read": _l("Membaca laporan gratifikasi %(number)s"),
    "gratifikasi.status_read": _l("Pelapor membuka status laporan gratifikasi %(number)s"),
    "gratifikasi.custody_add": _l("Mencatat barang titipan %(ref)s"),
    "gratifikasi.custody_update": _l("Mengubah data barang titipan %(ref)s"),
    "gratifikasi.custody_exit": _l("Mencatat keluarnya barang titipan %(ref)s"),
    "gratifikasi.custody_read": _l("Membuka barang titipan %(ref)s"),
    "gratifikasi.campaign_add": _l("Mencatat kegiatan kampanye tanggal %(held_on)s"),
    **{f"gratifikasi.{action.value}": text for action, text in _GRATIFIKASI_ACTIONS.items()},
    # benturan kepentingan
    "benturan.create": _l("Deklarasi benturan kepentingan %(number)s masuk"),
    "benturan.read": _l("Membaca deklarasi benturan kepentingan %(number)s"),
    "benturan.status_read": _l("Deklaran membuka status deklarasi %(number)s"),
    "benturan.decide": _l("Mencatat keputusan atasan atas deklarasi %(number)s"),
    "benturan.carry_out": _l("Mencatat pelaksanaan keputusan atas deklarasi %(number)s"),
    "benturan.mapping_add": _l("Menambahkan baris %(ref)s pada pemetaan benturan kepentingan"),
    "benturan.mapping_update": _l("Mengubah baris %(ref)s pemetaan benturan kepentingan"),
    "benturan.mapping_retire": _l("Menghentikan baris %(ref)s pemetaan benturan kepentingan"),
    "benturan.mapping_copy": _l("Menyalin pemetaan benturan kepentingan tahun %(from_year)s ke tahun %(year)s"),
    # SKM
    "skm.import": _l("Mengimpor %(rows)s kuesioner SKM kertas"),
    "skm.population_set": _l("Mengisi jumlah layanan %(layanan)s %(period)s"),
    "skm.population_import": _l("Mengimpor jumlah layanan %(period)s dari berkas"),
    "skm.follow_up_add": _l("Menambahkan tindak lanjut SKM %(period)s"),
    "skm.follow_up_update": _l("Mengubah tindak lanjut SKM %(ref)s"),
    "skm.standard_create": _l("Menetapkan standar pelayanan %(layanan)s"),
    "skm.standard_update": _l("Mengubah standar pelayanan %(layanan)s"),
    "skm.standard_withdraw": _l("Menarik standar pelayanan %(layanan)s"),
    "skm.maklumat_create": _l("Menetapkan maklumat pelayanan"),
    "skm.maklumat_update": _l("Mengubah maklumat pelayanan"),
    "skm.maklumat_withdraw": _l("Menarik maklumat pelayanan"),
    "perception.questionnaire_load": _l("Memuat kuesioner persepsi %(code)s"),
    "perception.questionnaire_active": _when(
        "on", _l("Membuka kuesioner persepsi %(code)s bagi responden"), _l("Menutup kuesioner persepsi %(code)s")
    ),
    "perception.questionnaire_publish": _when(
        "on",
        _l("Menerbitkan hasil kuesioner persepsi %(code)s"),
        _l("Berhenti menerbitkan hasil kuesioner persepsi %(code)s"),
    ),
    "perception.import": _l("Mengimpor %(rows)s kuesioner persepsi %(questionnaire)s kertas"),
    **{
        f"{scope.audit_prefix}.{operation}": text
        for scope in SCOPES.values()
        for operation, text in _EVALUATION_OPERATIONS.items()
    },
    # files of every case kind (services/attachments.download)
    **{f"{kind}.attachment_download": _DOWNLOAD for kind in CASE_READERS},
    **{f"{kind}.attachment_download_original": _DOWNLOAD_ORIGINAL for kind in CASE_READERS},
}

#: A code recorded by code newer than this table (or by a test) still reads as something.
UNKNOWN = _l("Tindakan %(code)s pada %(target)s")


def has_sentence(code: str) -> bool:
    return code in SENTENCES


@dataclass(frozen=True)
class Described:
    """An entry as the page reads it: who, and what in a sentence (the code is the entry's own)."""

    actor: str
    sentence: str


def describe(entries: Iterable[AuditEntry]) -> dict[int, Described]:
    """Each entry in words in the current language, by entry id (one query for the usernames and one for
    the layanan names the entries mention)."""
    entries = list(entries)
    data = {entry.id: _data(entry) for entry in entries}
    usernames = _usernames(entries)
    layanan = _layanan_names([str(d["layanan"]) for d in data.values() if isinstance(d.get("layanan"), str)])
    sentences = {}
    for entry in entries:
        values = _values(entry, data[entry.id], usernames, layanan)
        sentence = SENTENCES.get(entry.action, UNKNOWN)
        text = sentence(values) if callable(sentence) else sentence
        sentences[entry.id] = Described(actor=_actor(entry), sentence=str(text) % values)
    return sentences


def _actor(entry: AuditEntry) -> str:
    """A staff member's username, or who acted without an account (the reporter, a command)."""
    if entry.actor_id is None and entry.actor in ACTOR_LABELS:
        return str(ACTOR_LABELS[entry.actor])
    return entry.actor


class _Values(dict):
    """The values a sentence may name; one it names that the entry lacks reads as a dash."""

    def __missing__(self, key: str) -> str:
        return "—"


def _data(entry: AuditEntry) -> dict[str, object]:
    try:
        data = json.loads(entry.data or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _values(
    entry: AuditEntry, data: Mapping[str, object], usernames: Mapping[int, str], layanan: Mapping[str, str]
) -> _Values:
    target_id = entry.target_id or ""
    username = usernames.get(int(target_id)) if entry.target_type == "user_account" and target_id.isdigit() else None
    number = data.get("number") if isinstance(data.get("number"), str) else None
    ref = number or username or (f"#{target_id}" if target_id else "—")
    name = TARGET_NAMES.get(entry.target_type or "")
    values = _Values(
        code=entry.action,
        ref=ref,
        target=str(name) % {"ref": ref} if name is not None else f"{entry.target_type or '—'} {ref}",
        target_id=target_id or "—",
        number=number or ref,
        user=username or data.get("username") or ref,
        role=_role(data.get("role")),
        to_role=_role(data.get("to")),
        period=_period(data.get("period") or target_id),
    )
    if "year" in data and "quarter" in data:  # the SKM population's quarter
        values["period"] = _period(f"{data['year']}-Q{data['quarter']}")
    prefix = entry.action.rsplit(".", 1)[0]
    values["scope"] = str(EVALUATION_SCOPES[prefix]) if prefix in EVALUATION_SCOPES else prefix
    for key in ("name", "file", "rows", "failures", "times", "code", "questionnaire", "year", "from_year"):
        if key in data and data[key] not in (None, ""):
            values[key] = str(data[key])
    for key in ("day", "held_on", "received_on"):
        values[key] = _day(data.get(key))
    for key in ("is_working_day", "on", "backdated"):
        values[key] = bool(data.get(key))
    values["recorded"] = "received_on" in data
    if isinstance(data.get("layanan"), str):
        values["layanan"] = layanan.get(str(data["layanan"]), str(data["layanan"]))
    if isinstance(data.get("channel"), str):
        values["channel"] = _channel(str(data["channel"]))
    if isinstance(data.get("reports"), list):
        values["count"] = str(len(data["reports"]))
    return values


def _role(value: object) -> str:
    try:
        return str(label(ROLE_LABELS, Role(value)))
    except ValueError:
        return "—" if value in (None, "") else str(value)


def _channel(value: str) -> str:
    try:
        return str(label(CHANNEL_LABELS, pengaduan_rules.Channel(value)))
    except ValueError:
        return value


def _period(value: object) -> str:
    """A period code ('2026-Q4'; 'benturan/2026-Q4' names an evaluation) by its name in the current language."""
    text = str(value or "").rsplit("/", 1)[-1]
    try:
        return period_name(parse_period(text))
    except ValueError:
        return text or "—"


def _day(value: object) -> str:
    try:
        return format_short_date(date.fromisoformat(str(value)))
    except ValueError:
        return "—"


def _usernames(entries: list[AuditEntry]) -> dict[int, str]:
    ids = {int(e.target_id) for e in entries if e.target_type == "user_account" and (e.target_id or "").isdigit()}
    if not ids:
        return {}
    return {
        row.id: row.username for row in db.session.execute(sa.select(User.id, User.username).where(User.id.in_(ids)))
    }


def _layanan_names(codes: list[str]) -> dict[str, str]:
    if not codes:
        return {}
    rows = db.session.scalars(sa.select(Layanan).where(Layanan.code.in_(set(codes))))
    locale = str(get_locale())
    return {row.code: localized_name(row, locale) for row in rows}
