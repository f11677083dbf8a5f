"""Helpers behind the public complaint pages: filing from the form atomically, wording the
status and the clocks for the reporter, the receipt's QR code. The views stay checklists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from blueprints.pengaduan.forms import PengaduanForm
from zi_public.extensions import db
from zi_public.i18n import format_long_date
from zi_public.models import Pengaduan
from zi_public.rules.clocks import ClockState
from zi_public.rules.pengaduan import Channel, Status
from zi_public.security.keyring import KeyringError, current_keyring
from zi_public.security.uploads import UploadRejected, removed_on_error, store_upload
from zi_public.services.pengaduan.clocks import FOLLOW_UP, SETTLE, VERIFY, clocks_of
from zi_public.services.pengaduan.filing import (
    ATTACHMENT_CONTEXT,
    DuplicateSubmission,
    Filed,
    InvalidPengaduan,
    file_pengaduan,
    today_jakarta,
    validate,
)
from zi_public.services.pengaduan.flow import ActionRefused
from zi_public.services.pengaduan.notifications import after_filing
from zi_public.services.reference import active_categories, active_layanan

RECEIPT_CONTEXT = "pengaduan-receipt"
ALLOWED_UPLOADS = frozenset({"image", "pdf"})


def complaint_form() -> PengaduanForm:
    """The complaint form with the active catalogues in the visitor's language."""
    form = PengaduanForm(
        categories=active_categories(),
        layanan=active_layanan(),
        locale=str(get_locale()),
        today=today_jakarta(),
    )
    cfg = current_app.config
    form.attachments.label.text = _(
        "Lampiran (foto atau PDF, paling banyak %(n)d berkas, masing-masing %(size)s)",
        n=int(cfg["PENGADUAN_MAX_ATTACHMENTS"]),
        size=_megabytes(int(cfg["UPLOAD_MAX_BYTES"])),
    )
    return form


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f}".removesuffix(".0") + " MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


def checked(form: PengaduanForm) -> bool:
    """Validate the form; when it fails, add the service's findings too, so one round shows all."""
    if form.validate():
        return True
    if "csrf_token" not in form.errors:
        errors, _category, _layanan = validate(form.to_input(), today_jakarta())
        show_errors(form, InvalidPengaduan(errors))
    return False


def file_from_form(form: PengaduanForm, *, channel: Channel, kiosk_id: int | None = None) -> Filed:
    """Store the attachments, file the complaint and commit: all of it, or nothing and no stray file.

    Raises InvalidPengaduan, UploadRejected or DuplicateSubmission (also when a concurrent request
    with the same submission key won the race to the database).
    """
    files = form.chosen_files()
    limit = int(current_app.config["PENGADUAN_MAX_ATTACHMENTS"])
    if len(files) > limit:
        raise UploadRejected("too_many", _l("Paling banyak %(n)d lampiran.", n=limit))
    upload_dir = Path(current_app.config["UPLOAD_DIR"])
    key = form.submission_key.data
    try:
        with removed_on_error(upload_dir) as stored:
            for file in files:
                stored.append(
                    store_upload(
                        file,
                        upload_dir=upload_dir,
                        allowed=ALLOWED_UPLOADS,
                        max_bytes=int(current_app.config["UPLOAD_MAX_BYTES"]),
                        keyring=current_keyring(),
                        context=ATTACHMENT_CONTEXT,
                    )
                )
            filed = file_pengaduan(
                form.to_input(), channel=channel, attachments=stored, submission_key=key, kiosk_id=kiosk_id
            )
            db.session.commit()
    except IntegrityError:
        db.session.rollback()
        existing = db.session.scalar(sa.select(Pengaduan).where(Pengaduan.submission_key == key))
        if existing is None:
            raise
        raise DuplicateSubmission(existing) from None
    except Exception:
        db.session.rollback()
        raise
    after_filing(filed.pengaduan)  # mails; never raises, and only once the complaint is committed
    return filed


def show_errors(form: PengaduanForm, exc: InvalidPengaduan | UploadRejected) -> None:
    """Put the service's or the upload check's messages on the fields they concern."""
    if isinstance(exc, UploadRejected):
        message = str(exc.message)
        if exc.filename:
            message = _("%(name)s: %(message)s", name=exc.filename[:100], message=message)
        form.attachments.errors = [*form.attachments.errors, message]
        return
    for name, message in exc.errors.items():
        field = form._fields.get(name) or form.title
        if not field.errors:  # the form's own finding is more precise
            field.errors = [*field.errors, str(message)]


def seal(access_code: str) -> str:
    """The access code encrypted for its one trip through the session cookie to the receipt.

    Flask's cookie is signed, not encrypted: in clear the code would sit in the browser's cookie
    store of a shared computer until the receipt page is shown.
    """
    return current_keyring().encrypt_text(access_code, RECEIPT_CONTEXT)


def unseal(token: object) -> str | None:
    """The access code from `seal`, or None when there is none (or it cannot be read)."""
    if not isinstance(token, str):
        return None
    try:
        return current_keyring().decrypt_text(token, RECEIPT_CONTEXT)
    except (KeyringError, ValueError):
        return None


# -- the reporter's view of a case ----------------------------------------------------------


_CLOCK_TEXT = {
    (VERIFY, ClockState.RUNNING): _l("Diverifikasi paling lambat %(due)s."),
    (VERIFY, ClockState.OVERDUE): _l("Seharusnya diverifikasi paling lambat %(due)s; batas ini sudah terlewati."),
    (VERIFY, ClockState.MET): _l("Diverifikasi pada %(done)s, tepat waktu (batas %(due)s)."),
    (VERIFY, ClockState.MISSED): _l("Diverifikasi pada %(done)s, melewati batas %(due)s."),
    (FOLLOW_UP, ClockState.RUNNING): _l("Ditindaklanjuti paling lambat %(due)s."),
    (FOLLOW_UP, ClockState.OVERDUE): _l("Seharusnya ditindaklanjuti paling lambat %(due)s; batas ini sudah terlewati."),
    (FOLLOW_UP, ClockState.MET): _l(
        "Informasi tindak lanjut disampaikan kepada Anda pada %(done)s, tepat waktu (batas %(due)s)."
    ),
    (FOLLOW_UP, ClockState.MISSED): _l(
        "Informasi tindak lanjut disampaikan kepada Anda pada %(done)s, melewati batas %(due)s."
    ),
    (SETTLE, ClockState.RUNNING): _l("Diselesaikan paling lambat %(due)s."),
    (SETTLE, ClockState.OVERDUE): _l("Seharusnya diselesaikan paling lambat %(due)s; batas ini sudah terlewati."),
    (SETTLE, ClockState.MET): _l("Diselesaikan pada %(done)s, tepat waktu (batas %(due)s)."),
    (SETTLE, ClockState.MISSED): _l("Diselesaikan pada %(done)s, melewati batas %(due)s."),
}
#: The verify clock of a complaint rejected or forwarded without verification was stopped by that decision.
_TRIAGE_TEXT = {
    ClockState.MET: _l("Ditelaah dan diputuskan pada %(done)s, tepat waktu (batas %(due)s)."),
    ClockState.MISSED: _l("Ditelaah dan diputuskan pada %(done)s, melewati batas %(due)s."),
}


@dataclass(frozen=True)
class Clock:
    state: ClockState
    sentence: str


def public_clocks(case: Pengaduan, today: date | None = None) -> list[Clock]:
    """The clocks as plain sentences, in the order the reporter meets them (not applicable ones left out)."""
    today = today or today_jakarta()
    states = clocks_of(case, today)
    # Only a verification starts the follow-up clock: without it, the triage decision was a rejection or forwarding.
    verified = any(c.name == FOLLOW_UP and c.state != ClockState.NOT_APPLICABLE for c in states)
    sentences = []
    for clock in states:
        if clock.state == ClockState.NOT_APPLICABLE:
            continue
        text = _CLOCK_TEXT[(clock.name, clock.state)]
        if clock.name == VERIFY and clock.is_stopped and not verified:
            text = _TRIAGE_TEXT[clock.state]
        words = {"due": format_long_date(clock.due), "done": format_long_date(clock.done_on)}
        sentences.append(Clock(clock.state, str(text % words)))
    return sentences


def can_reply(case: Pengaduan, today: date | None = None) -> bool:
    """Finished, not closed, and the reply window still open."""
    today = today or today_jakarta()
    return (
        case.status == Status.SELESAI
        and not case.is_closed
        and case.reply_until is not None
        and today <= case.reply_until
    )


def can_rate(case: Pengaduan) -> bool:
    return case.status == Status.SELESAI and not case.is_closed


def refusal_message(exc: ActionRefused, case: Pengaduan) -> str:
    """The reporter-facing words for a refused rating or reply."""
    if exc.code == "reply_window_passed":
        return _(
            "Batas waktu balasan sudah berakhir pada %(date)s; pengaduan tidak dapat dibuka kembali.",
            date=format_long_date(case.reply_until),
        )
    if exc.code == "body_too_long":
        return _("Balasan terlalu panjang.")
    if exc.code == "body_required":
        return _("Tulis balasan Anda.")
    if exc.code == "rating_range":
        return _("Pilih nilai 1 sampai 4.")
    return _("Pengaduan ini sudah tidak dapat dinilai atau dibalas.")
