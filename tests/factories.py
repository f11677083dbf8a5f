"""Model factories: valid objects with sensible defaults, overridable per test."""

from __future__ import annotations

import io
import itertools
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from zi_public.extensions import db
from zi_public.models import Attachment, Bidang, KioskDevice, OutboxMail, Pengaduan, PengaduanEvent, Role, User
from zi_public.models.skm import SkmResponse
from zi_public.models.wbs import WbsReport
from zi_public.rules.pengaduan import Action, Channel
from zi_public.rules.skm import UNSUR as SKM_UNSUR
from zi_public.rules.skm import Channel as SkmChannel
from zi_public.security.permissions import case_kind_of
from zi_public.security.uploads import StoredFile
from zi_public.services import accounts, attachments, kiosk, outbox
from zi_public.services.pengaduan.filing import Filed, PengaduanInput, file_pengaduan
from zi_public.services.pengaduan.flow import ActionInput, act
from zi_public.services.skm.filing import ResponseInput, check, file_response, response_values
from zi_public.services.wbs.filing import Filed as WbsFiled
from zi_public.services.wbs.filing import WbsInput, file_report

TEST_PASSWORD = "correct horse battery staple"
PDF = (  # a one-page PDF written by pypdf: uploads parse PDFs, so this must be a real one
    b"%PDF-1.3\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<\n/Producer (pypdf)\n>>\nendobj\n"
    b"2 0 obj\n<<\n/Type /Pages\n/Count 1\n/Kids [ 4 0 R ]\n>>\nendobj\n"
    b"3 0 obj\n<<\n/Type /Catalog\n/Pages 2 0 R\n>>\nendobj\n"
    b"4 0 obj\n<<\n/Type /Page\n/Resources <<\n>>\n/MediaBox [ 0.0 0.0 200 200 ]\n/Parent 2 0 R\n>>\nendobj\n"
    b"xref\n0 5\n0000000000 65535 f \n0000000015 00000 n \n0000000054 00000 n \n0000000113 00000 n \n"
    b"0000000162 00000 n \ntrailer\n<<\n/Size 5\n/Root 3 0 R\n/Info 1 0 R\n>>\nstartxref\n256\n%%EOF\n"
)
_counter = itertools.count(1)


def make_user(
    role: Role = Role.PENGADUAN,
    username: str | None = None,
    password: str = TEST_PASSWORD,
    must_change_password: bool = False,
    **fields: object,
) -> User:
    """A staff account created through the real service (so it is audit-logged too)."""
    username = username or f"{role.value}{next(_counter)}"
    user = accounts.create_user(
        "test",
        username,
        role,
        password,
        must_change_password=must_change_password,
        full_name=str(fields.pop("full_name", username.title())),
        email=fields.pop("email", None),  # type: ignore[arg-type]
    )
    for key, value in fields.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def store_file(data: bytes = PDF, filename: str = "bukti.pdf", kind: str = "pengaduan") -> StoredFile:
    """A file checked and stored (encrypted, in UPLOAD_DIR) through the real service, not yet attached."""
    file = FileStorage(io.BytesIO(data), filename=filename)
    return attachments.store_file(kind, file, allowed={"image", "pdf"})


def make_attachment(case: Any, data: bytes = PDF, filename: str = "bukti.pdf") -> Attachment:
    """A file stored through the real service and attached to `case`."""
    (row,) = attachments.attach(case, [store_file(data, filename, case_kind_of(case))])
    db.session.flush()
    return row


#: A valid submission: a named reporter writing about the PBG service (needs the reference data: `seeded`).
PENGADUAN_DEFAULTS: dict[str, Any] = {
    "category": "waktu",
    "layanan": "pbg",
    "title": "PBG belum terbit",
    "description": "Berkas lengkap, PBG belum terbit.",
    "identity": "terbuka",
    "name": "Budi Santoso",
    "email": "budi@example.id",
}


def pengaduan_input(**overrides: Any) -> PengaduanInput:
    """What a reporter sends (PENGADUAN_DEFAULTS), with any field overridden."""
    return PengaduanInput(**{**PENGADUAN_DEFAULTS, **overrides})


def make_filed(
    *,
    now: datetime | None = None,
    channel: Channel = Channel.WEB,
    attachments: Sequence[StoredFile] = (),
    **overrides: Any,
) -> Filed:
    """A complaint filed through the real service (numbered, clocks started, history, audit, mail queued),
    with the access code the reporter is shown once. `overrides` are fields of `pengaduan_input`."""
    filed = file_pengaduan(pengaduan_input(**overrides), channel=channel, attachments=attachments, now=now)
    db.session.flush()
    return filed


def make_pengaduan(
    *,
    now: datetime | None = None,
    channel: Channel = Channel.WEB,
    attachments: Sequence[StoredFile] = (),
    **overrides: Any,
) -> Pengaduan:
    """A complaint filed through the real service; `advance` moves it through the flow."""
    return make_filed(now=now, channel=channel, attachments=attachments, **overrides).pengaduan


#: The text each action carries when a test does not say (the flow requires one for some of them).
ACTION_BODIES = {
    Action.REJECT: "Bukan kewenangan kami",
    Action.DISPOSE: "Mohon dicek",
    Action.FOLLOW_UP: "Berkas diperiksa",
    Action.ANSWER: "Sudah kami tindak lanjuti.",
    Action.REOPEN: "Belum tuntas.",
    Action.REPORTER_REPLY: "Belum tuntas.",
}


def action_input(action: Action, *, bidang: str = "perizinan-b", **overrides: Any) -> ActionInput:
    """A valid input for `action`: its text, the bidang (by code) of a disposisi, the instansi of a
    forwarding, the rating of a rating; any ActionInput field overridden."""
    values: dict[str, Any] = {"body": ACTION_BODIES.get(action, "")}
    if action == Action.DISPOSE and "bidang_id" not in overrides:
        values["bidang_id"] = db.session.scalar(sa.select(Bidang.id).where(Bidang.code == bidang))
    elif action == Action.FORWARD:
        values["forwarded_to"] = "BPN Kota Magelang"
    elif action == Action.RATE:
        values["rating"] = 3
    return ActionInput(**{**values, **overrides})


def advance(
    actor: User | str, case: Pengaduan, action: Action, now: datetime | None = None, **overrides: Any
) -> PengaduanEvent:
    """Take one action on `case` through the real flow (flow.act), with `action_input(action, **overrides)`."""
    return act(actor, case, action, action_input(action, **overrides), now=now)


def make_kiosk_device(name: str = "Kiosk 1", location: str = "Lantai 1") -> tuple[KioskDevice, str]:
    """A kiosk registered and activated by an admin through the real service, and its signed cookie value."""
    admin = make_user(role=Role.ADMIN)
    device = kiosk.register_device(admin, name, location)
    cookie = kiosk.activate_device(admin, device)
    db.session.flush()
    return device, cookie


#: What `make_outbox_mail` queues unless told otherwise (non-ASCII on purpose: it must survive the trip).
MAIL_TO = "budi.santoso@example.id"
MAIL_SUBJECT = "Pengaduan PGD-2026-00001 telah kami terima"
MAIL_BODY = "Pengaduan Anda telah kami terima — nomor PGD-2026-00001. Ünïcode bertahan."


def make_outbox_mail(
    kind: str = "pengaduan.receipt",
    to: Sequence[str] = (MAIL_TO,),
    subject: str = MAIL_SUBJECT,
    body: str = MAIL_BODY,
    number: str | None = "PGD-2026-00001",
) -> OutboxMail:
    """A mail queued through the real outbox (encrypted, pending, due now)."""
    mail = outbox.enqueue(kind, to, subject, body, number=number)
    assert mail is not None, "no valid recipient: nothing was queued"
    return mail


#: A valid WBS report (4W1H) with no identity (needs the reference data: `seeded`).
WBS_DEFAULTS: dict[str, Any] = {
    "category": "pungli-calo",
    "what": "Petugas loket meminta uang pelicin Rp500.000 agar izin cepat terbit.",
    "who_name": "Petugas loket 3",
    "who_position": "Staf pelayanan",
    "who_unit": "Bidang Perizinan",
    "when": "Senin pagi, 23 November 2026",
    "where": "Loket 3, ruang pelayanan",
    "how": "Meminta uang tunai di luar ketentuan tarif.",
    "how_known": "Saya mengalaminya sendiri.",
}


def wbs_input(**overrides: Any) -> WbsInput:
    """What a whistle-blower sends (WBS_DEFAULTS), with any field overridden."""
    return WbsInput(**{**WBS_DEFAULTS, **overrides})


def make_wbs_filed(*, attachments: Sequence[StoredFile] = (), today: date | None = None, **overrides: Any) -> WbsFiled:
    """A WBS report filed through the real service, with the receipt the reporter is shown once."""
    filed = file_report(wbs_input(**overrides), attachments=attachments, today=today)
    db.session.flush()
    return filed


def make_wbs(*, attachments: Sequence[StoredFile] = (), today: date | None = None, **overrides: Any) -> WbsReport:
    """A WBS report filed through the real service (`overrides` are fields of `wbs_input`)."""
    return make_wbs_filed(attachments=attachments, today=today, **overrides).report


def skm_input(**overrides: Any) -> ResponseInput:
    """A valid SKM response as a respondent sends it (layanan 'pbg' from the seeded catalogue)."""
    fields: dict[str, Any] = {
        "layanan": "pbg",
        "gender": "p",
        "age": 34,
        "education": "s1",
        "occupation": "wirausaha",
        "answers": dict.fromkeys(SKM_UNSUR, 3),
    }
    fields.update(overrides)
    return ResponseInput(**fields)


def make_skm_response(
    *, channel: SkmChannel = SkmChannel.WEB, now: datetime | None = None, **overrides: Any
) -> SkmResponse:
    """One SKM response stored through the real filing service (`now`: when it was given)."""
    response = file_response(skm_input(**overrides), channel=channel, now=now)
    db.session.flush()
    return response


def make_skm_responses(
    rows: Sequence[Sequence[int]], *, layanan: str = "pbg", on: date, channel: SkmChannel = SkmChannel.WEB
) -> int:
    """Many SKM responses in one INSERT (each row: the nine answers U1..U9), given on day `on`."""
    checked = check(skm_input(layanan=layanan))
    base = response_values(checked, channel=channel, submitted_on=on)
    values = [{**base, **{code.lower(): answer for code, answer in zip(SKM_UNSUR, row, strict=True)}} for row in rows]
    if values:
        db.session.execute(sa.insert(SkmResponse), values)
    return len(values)


def make_standard(layanan: str = "pbg", effective_on: date | None = None, **texts: str) -> Any:
    """A version of a layanan's standar pelayanan saved through the real service by a Tim SKM account
    (effective today unless told; a past day is saved as if on that day; each component's text defaults to
    "<component> <layanan>")."""
    from zi_public.localtime import today_jakarta
    from zi_public.models import Layanan
    from zi_public.services.skm import standards

    item = db.session.scalar(sa.select(Layanan).where(Layanan.code == layanan))
    day = effective_on or today_jakarta()
    values = {name: texts.get(name, f"{name} {layanan}") for name in standards.COMPONENTS}
    data = standards.StandardInput(effective_on=day, **values)
    return standards.create_standard(make_user(role=Role.SKM), item, data, today=min(day, today_jakarta()))


def make_maklumat(effective_on: date | None = None, **fields: str) -> Any:
    """A version of the maklumat pelayanan saved through the real service by a Tim SKM account (effective today
    unless told; a past day is saved as if on that day)."""
    from zi_public.localtime import today_jakarta
    from zi_public.services.skm import standards

    day = effective_on or today_jakarta()
    values = {
        "text": "Kami sanggup melayani sesuai standar.",
        "signer_name": "Sri Wahyuni",
        "signer_position": "Kepala Dinas",
    }
    data = standards.MaklumatInput(effective_on=day, **{**values, **fields})
    return standards.create_maklumat(make_user(role=Role.SKM), data, today=min(day, today_jakarta()))


def make_perception_questionnaire(definition: dict[str, Any] | None = None, *, active: bool = True) -> Any:
    """A perception questionnaire loaded through the real service by a Tim SKM account: the shipped SPAK
    unless `definition` (JSON data) is given; open to respondents unless `active=False`."""
    import json

    from zi_public.services.skm import perception

    actor = make_user(role=Role.SKM)
    if definition is None:
        questionnaire = perception.load_shipped(actor, "spak")
    else:
        questionnaire = perception.load_json(actor, json.dumps(definition))
    if active:
        perception.set_active(actor, questionnaire, True)
    db.session.flush()
    return questionnaire


def make_perception_response(
    questionnaire: Any,
    answers: dict[str, Any] | None = None,
    *,
    channel: SkmChannel = SkmChannel.WEB,
    now: datetime | None = None,
    layanan: str | None = None,
) -> Any:
    """One perception response filed through the real service (every item answered 5 unless told)."""
    from zi_public.services.skm.perception import PerceptionInput, file_response

    values = {item.code: 5 for item in questionnaire.definition.items}
    values.update(answers or {})
    response = file_response(questionnaire, PerceptionInput(values, layanan), channel=channel, now=now)
    db.session.flush()
    return response


# --- gratifikasi (issue 10) -----------------------------------------------------------------------------------


def gratifikasi_input(**overrides: Any) -> Any:
    """A complete, valid report of a gift received on 2 November 2026 (override any field)."""
    from zi_public.services.gratifikasi.filing import GratifikasiInput

    values: dict[str, Any] = {
        "kind": "diterima",
        "nik": "3371010101900001",
        "name": "Budi Santoso",
        "position": "Analis Perizinan",
        "unit": "Bidang Perizinan",
        "phone": "081234567890",
        "address": "Jl. Pahlawan 1, Magelang",
        "giver_name": "Andi Wijaya",
        "giver_institution": "PT Contoh Sejahtera",
        "giver_relationship": "Pemohon izin",
        "gift_type": "barang",
        "gift_description": "Parsel makanan",
        "value_idr": 750_000,
        "received_on": date(2026, 11, 2),
        "place": "Kantor DPMPTSP",
        "occasion": "Setelah izin terbit",
        "chronology": "Pemohon datang membawa parsel setelah izinnya terbit.",
        "gift_location": "pelapor",
    }
    values.update(overrides)
    return GratifikasiInput(**values)


def make_gratifikasi(*, now: datetime | None = None, channel: str = "web", **overrides: Any) -> Any:
    """A gratifikasi report filed through the real service (returns the Filed: .report, .access_code)."""
    from zi_public.rules.gratifikasi import Channel as GratifikasiChannel
    from zi_public.services.gratifikasi.filing import file_report as file_gratifikasi

    filed = file_gratifikasi(gratifikasi_input(**overrides), channel=GratifikasiChannel(channel), now=now)
    db.session.flush()
    return filed


def raw_multipart(parts: Sequence[tuple[str, bytes]]) -> dict[str, Any]:
    """`client.post` arguments sending `parts` as multipart form fields byte for byte (a test client would encode
    every value as UTF-8): `client.post(url, **raw_multipart([("title", b"\\xff judul")]))`."""
    body = b"".join(
        b'--XX\r\nContent-Disposition: form-data; name="' + name.encode() + b'"\r\n\r\n' + value + b"\r\n"
        for name, value in parts
    )
    return {"data": body + b"--XX--\r\n", "content_type": "multipart/form-data; boundary=XX"}
