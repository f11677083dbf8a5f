"""Forms of the Tim Pengaduan's pages: the inbox filter (GET) and one small CSRF form per action, with the order
the case page offers the actions in and the ones that end the case (behind a confirmation)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Optional, ValidationError
from wtforms.widgets import MonthInput

from zi_public.forms import SUBMISSION_KEY, OneTimeForm
from zi_public.ids import parse_id
from zi_public.labels import choices
from zi_public.rules import case_numbers
from zi_public.rules.pengaduan import LAPOR_NUMBER_MAX, Action, Channel, Status, is_lapor_search
from zi_public.rules.periods import MAX_YEAR, MIN_YEAR, MONTH, parse_period
from zi_public.services.pengaduan.flow import ActionInput
from zi_public.services.pengaduan.inbox import InboxFilter
from zi_public.services.pengaduan.labels import CHANNEL_LABELS, STATUS_LABELS


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


#: Why an action form was refused when its token or its one-time key is not the one the page gave (the case page
#: says it at the top and in the action's block; the form_errors macro says the same for a csrf_token error).
EXPIRED_FORM = _l("Formulir kedaluwarsa. Kirim ulang; isian Anda tetap tersimpan di halaman ini.")

#: What the inbox's search takes, said when it refuses something else.
_SEARCH_HINT = _l(
    "Ketik nomor pengaduan (mis. %(example)s) atau nomor pelacakan SP4N-LAPOR!, seluruhnya atau awalnya: huruf, "
    "angka, titik, garis miring atau tanda hubung.",
    example=case_numbers.example("pengaduan"),
)


def parse_month(value: str | None) -> date | None:
    """'2026-11' -> 1 November 2026 (rules.periods); None for anything else (including year 0 or month 13)."""
    try:
        return parse_period(value, (MONTH,)).start if value else None
    except ValueError:
        return None


class InboxFilterForm(FlaskForm):
    """The inbox filters (GET, no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(
        _l("Nomor pengaduan atau SP4N-LAPOR!"),
        filters=[_strip],
        # Long enough for "#" and a LAPOR! number; anything longer is refused by validate_q (one message, not two).
        validators=[Optional()],
        render_kw={"placeholder": case_numbers.example("pengaduan")},
    )
    status = SelectField(_l("Status"), validate_choice=False)
    category = SelectField(_l("Kategori"), validate_choice=False)
    bidang = SelectField(_l("Bidang"), validate_choice=False)
    channel = SelectField(_l("Kanal"), validate_choice=False)
    month = StringField(_l("Bulan diterima"), widget=MonthInput(), filters=[_strip])
    overdue = BooleanField(_l("Hanya yang terlambat"))

    def __init__(
        self, *args: object, categories: list[tuple[str, str]], bidang: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = [("", _l("Semua status")), *choices(STATUS_LABELS)]
        self.category.choices = [("", _l("Semua kategori"))] + categories
        self.bidang.choices = [("", _l("Semua bidang"))] + bidang
        self.channel.choices = [("", _l("Semua kanal")), *choices(CHANNEL_LABELS)]

    def _check_choice(self, field: Field) -> None:
        # A hand-made URL may name a value that is not offered; say so instead of showing "all".
        if field.data and field.data not in {value for value, _label in field.choices}:
            raise ValidationError(_l("Pilih dari daftar."))

    validate_status = validate_category = validate_bidang = validate_channel = _check_choice

    def validate_q(self, field: Field) -> None:
        if not field.data:
            return
        too_long = len(field.data) > LAPOR_NUMBER_MAX + 1
        if too_long or not (case_numbers.is_search_prefix(field.data) or is_lapor_search(field.data)):
            raise ValidationError(_SEARCH_HINT)

    def validate_month(self, field: Field) -> None:
        if field.data and parse_month(field.data) is None:
            raise ValidationError(
                _l(
                    "Bulan tidak valid: gunakan format TTTT-BB, tahun %(first)d–%(last)d.",
                    first=MIN_YEAR,
                    last=MAX_YEAR,
                )
            )

    def to_filter(self) -> InboxFilter:
        """The validated values as a service filter."""
        return InboxFilter(
            status=Status(self.status.data) if self.status.data else None,
            category=self.category.data or "",
            bidang=self.bidang.data or "",
            channel=Channel(self.channel.data) if self.channel.data else None,
            overdue=bool(self.overdue.data),
            month=parse_month(self.month.data),
            number=case_numbers.normalize(self.q.data),
        )

    def paging_args(self) -> dict[str, str]:
        """The filters as query arguments, for the pager links."""
        args = {key: self[key].data for key in ("q", "status", "category", "bidang", "channel", "month")}
        if self.overdue.data:
            args["overdue"] = "y"
        return {key: value for key, value in args.items() if value}


def _to_id(value: object) -> int | None:
    """A select value as a row id; None for anything that is not a plausible id (hostile or empty)."""
    return parse_id(value if isinstance(value, int) else str(value or ""))


class _ActionForm(OneTimeForm):
    """Every action form: a CSRF token, a one-time key (the same form sent twice records one action), a button
    and the service's input."""

    def validate_submission_key(self, field: Field) -> None:
        # OneTimeForm put a fresh key in place of a missing or malformed one: refuse what was sent (the page
        # comes back with what was typed and the fresh key, so sending it again works).
        if not field.raw_data or not SUBMISSION_KEY.fullmatch(field.raw_data[0] or ""):
            raise ValidationError(EXPIRED_FORM)

    def to_input(self) -> ActionInput:
        return ActionInput()


class _BodyForm(_ActionForm):
    def to_input(self) -> ActionInput:
        return ActionInput(body=self.body.data or "")


class VerifyForm(_ActionForm):
    submit = SubmitField(_l("Verifikasi pengaduan"))


class RejectForm(_BodyForm):
    body = TextAreaField(_l("Alasan penolakan (ditampilkan kepada pelapor)"))
    confirm = BooleanField(
        _l("Saya yakin: pengaduan ini ditolak dan penanganannya berakhir."),
        validators=[DataRequired(_l("Centang 'Saya yakin' untuk menolak pengaduan."))],
    )
    submit = SubmitField(_l("Tolak pengaduan"))


class ForwardForm(_ActionForm):
    forwarded_to = StringField(_l("Instansi tujuan"), filters=[_strip])
    body = TextAreaField(_l("Catatan untuk pelapor (opsional)"))
    confirm = BooleanField(
        _l("Saya yakin: pengaduan ini dialihkan dan penanganannya di sini berakhir."),
        validators=[DataRequired(_l("Centang 'Saya yakin' untuk mengalihkan pengaduan."))],
    )
    submit = SubmitField(_l("Alihkan ke instansi lain"))

    def to_input(self) -> ActionInput:
        return ActionInput(body=self.body.data or "", forwarded_to=self.forwarded_to.data or "")


class DisposeForm(_ActionForm):
    bidang = SelectField(_l("Bidang tujuan"), coerce=_to_id, validate_choice=False)
    body = TextAreaField(_l("Instruksi disposisi (internal)"))
    submit = SubmitField(_l("Disposisikan"))

    def __init__(self, *args: object, bidang_choices: Sequence[tuple[int, str]] = (), **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.bidang.choices = [("", _l("Pilih bidang"))] + list(bidang_choices)

    def to_input(self) -> ActionInput:
        return ActionInput(body=self.body.data or "", bidang_id=self.bidang.data)


class FollowUpForm(_BodyForm):
    body = TextAreaField(_l("Tindak lanjut yang dilakukan (internal, tidak terlihat pelapor)"))
    submit = SubmitField(_l("Catat tindak lanjut"))


class AnswerForm(_BodyForm):
    body = TextAreaField(_l("Tanggapan kepada pelapor (terlihat oleh pelapor)"))
    submit = SubmitField(_l("Kirim tanggapan"))


class FinishForm(_ActionForm):
    submit = SubmitField(_l("Selesaikan pengaduan"))


class ReopenForm(_BodyForm):
    body = TextAreaField(_l("Alasan membuka kembali"))
    submit = SubmitField(_l("Buka kembali"))


ACTION_FORMS: dict[Action, type[_ActionForm]] = {
    Action.VERIFY: VerifyForm,
    Action.REJECT: RejectForm,
    Action.FORWARD: ForwardForm,
    Action.DISPOSE: DisposeForm,
    Action.FOLLOW_UP: FollowUpForm,
    Action.ANSWER: AnswerForm,
    Action.FINISH: FinishForm,
    Action.REOPEN: ReopenForm,
}
#: The team's actions on a case in each status, the usual next step first; the flow (rules.allowed_actions)
#: decides which of them a case allows now. The ones in rules.ENDING_ACTIONS come last, set apart, behind a
#: confirmation.
ACTION_ORDER: dict[Status, tuple[Action, ...]] = {
    Status.BARU: (Action.VERIFY, Action.REJECT, Action.FORWARD),
    Status.TERVERIFIKASI: (Action.ANSWER, Action.DISPOSE, Action.FINISH, Action.REJECT, Action.FORWARD),
    Status.DITINDAKLANJUTI: (Action.FOLLOW_UP, Action.ANSWER, Action.FINISH, Action.DISPOSE),
    Status.SELESAI: (Action.REOPEN,),
}
#: Each action's block on the case page: a heading and what the action does.
ACTION_HEADINGS = {
    Action.VERIFY: _l("Verifikasi"),
    Action.ANSWER: _l("Tanggapan kepada pelapor"),
    Action.DISPOSE: _l("Disposisi ke bidang"),
    Action.FOLLOW_UP: _l("Catatan tindak lanjut"),
    Action.FINISH: _l("Menyelesaikan pengaduan"),
    Action.REOPEN: _l("Buka kembali"),
    Action.REJECT: _l("Tolak pengaduan"),
    Action.FORWARD: _l("Alihkan ke instansi lain"),
}
ACTION_HINTS = {
    Action.VERIFY: _l(
        "Pengaduan lengkap dan menjadi kewenangan kantor ini. Sesudahnya batas tindak lanjut mulai dihitung."
    ),
    Action.ANSWER: _l(
        "Terlihat oleh pelapor dan dikirim ke emailnya bila ada. Tanggapan pertama memenuhi batas tindak lanjut."
    ),
    Action.DISPOSE: _l(
        "Internal: meneruskan pengaduan ke bidang yang berwenang. Pelapor tidak diberi tahu, jadi disposisi tidak "
        "memenuhi batas tindak lanjut. Tidak wajib: pengaduan yang ditangani tim sendiri dapat langsung dijawab "
        "dan diselesaikan."
    ),
    Action.FOLLOW_UP: _l("Internal, tidak terlihat pelapor."),
    Action.REOPEN: _l("Pengaduan kembali ditindaklanjuti; batas penyelesaian berjalan lagi."),
    Action.REJECT: _l("Bukan pengaduan atau bukan kewenangan kantor ini. Alasannya ditampilkan kepada pelapor."),
    Action.FORWARD: _l("Instansi lain yang berwenang menangani. Pelapor diberi tahu instansi tujuannya."),
}
#: Which field a refusal is about, to show the message next to it too.
REFUSAL_FIELDS = {
    "body_required": "body",
    "body_too_long": "body",
    "body_unreadable": "body",
    "bidang_required": "bidang",
    "forward_target_required": "forwarded_to",
    "forward_target_too_long": "forwarded_to",
    "forward_target_unreadable": "forwarded_to",
}
