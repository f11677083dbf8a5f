"""The UPG's campaign page (issue 10, point 11): the three public texts (home page, gratifikasi guide, kiosk
running text) and the campaign and socialisation activities of a quarter with their evidence files. The
pimpinan reads; the package's restrict_area refuses every other role and every POST but the UPG's.

The home page, the gratifikasi guide and the kiosk's start screen show the saved text: their views pass
`campaign.campaign_text(where)` to the page (nothing shown when it is empty).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, SelectChoice, SelectField, StringField, SubmitField, TextAreaField

from blueprints.case_files import send_case_file
from blueprints.gratifikasi import staff_bp
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.localtime import today_jakarta
from zi_public.models import Role
from zi_public.rules.periods import QUARTER, Period, latest, parse_period, period_of
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.gratifikasi import campaign
from zi_public.services.gratifikasi.campaign import ActivityInput, ActivityRefused, CampaignTexts, InvalidTexts

QUARTERS_SHOWN = 8
_DATE_MAX = 10  # 2026-12-31


def _text(field: Field) -> str:
    return field.data if isinstance(field.data, str) else ""


class _ServiceForm(FlaskForm):
    def show_errors(self, errors: Mapping[str, object]) -> None:
        for key, message in errors.items():
            field = self._fields.get(key)
            if field is not None:
                field.errors = [*field.errors, str(message)]


class TextsForm(_ServiceForm):
    home = TextAreaField(
        _l("Teks kampanye di beranda"), render_kw={"rows": 4, "maxlength": campaign.TEXT_LIMITS["home"]}
    )
    guide = TextAreaField(
        _l("Teks kampanye di panduan gratifikasi"), render_kw={"rows": 6, "maxlength": campaign.TEXT_LIMITS["guide"]}
    )
    kiosk = StringField(_l("Teks berjalan di kiosk"), render_kw={"maxlength": campaign.TEXT_LIMITS["kiosk"]})
    submit = SubmitField(_l("Simpan teks kampanye"))

    def to_input(self) -> CampaignTexts:
        return CampaignTexts(home=_text(self.home), guide=_text(self.guide), kiosk=_text(self.kiosk))


class ActivityForm(_ServiceForm):
    held_on = StringField(_l("Tanggal kegiatan"), render_kw={"type": "date", "maxlength": _DATE_MAX})
    topic = SelectField(
        _l("Tema"),
        choices=[SelectChoice("", _l("Pilih"))] + [SelectChoice(k, v) for k, v in campaign.TOPICS.items()],
        validate_choice=False,
    )
    medium = StringField(_l("Media"), render_kw={"maxlength": campaign.MEDIUM_MAX, "list": "campaign-media"})
    audience = StringField(_l("Peserta / sasaran"), render_kw={"maxlength": campaign.AUDIENCE_MAX})
    summary = TextAreaField(_l("Uraian singkat"), render_kw={"rows": 3, "maxlength": campaign.SUMMARY_MAX})
    files = MultipleFileField(_l("Bukti (foto, PDF atau dokumen; opsional)"))
    submit = SubmitField(_l("Simpan kegiatan"))

    def to_input(self) -> ActivityInput | None:
        value = _text(self.held_on).strip()
        held_on: date | None = None
        if value:
            try:
                if len(value) != _DATE_MAX:
                    raise ValueError(value)
                held_on = date.fromisoformat(value)
            except ValueError:
                self.held_on.errors = [*self.held_on.errors, _("Tulis tanggal seperti 2026-12-31.")]
                return None
        return ActivityInput(held_on, _text(self.topic), _text(self.medium), _text(self.audience), _text(self.summary))

    def chosen_files(self) -> list:
        return [f for f in self.files.data or [] if getattr(f, "filename", "")]


def _quarters() -> list[Period]:
    return latest(QUARTER, today_jakarta(), QUARTERS_SHOWN)


def _chosen_quarter() -> Period:
    text = request.args.get("period")
    if not text:
        return period_of(QUARTER, today_jakarta())
    try:
        return parse_period(text, (QUARTER,))
    except ValueError:
        abort(404)


def _render(*, texts_form: TextsForm | None = None, activity_form: ActivityForm | None = None, status: int = 200):  # noqa: ANN202
    quarter = _chosen_quarter()
    html = render_template(
        "gratifikasi/staff/campaign.html",
        texts=campaign.campaign_texts(),
        texts_form=texts_form or TextsForm(formdata=None, data=campaign.campaign_texts().__dict__),
        activity_form=activity_form or ActivityForm(formdata=None),
        quarter=quarter,
        quarters=_quarters(),
        activities=campaign.activities_in(quarter),
        topics=campaign.TOPICS,
        media=[str(m) for m in campaign.MEDIA],
        limits=campaign.TEXT_LIMITS,
        can_write=current_user.role == Role.UPG,
    )
    return html, status


@staff_bp.route("/kampanye", endpoint="campaign")
def campaign_page():
    """The texts as shown to the public, the quarter's activities, and for the UPG the forms."""
    return _render()


@staff_bp.route("/kampanye/teks", methods=["POST"], endpoint="campaign_texts")
@csrf.exempt
@checks_every_field
def campaign_texts():
    """Save the three public texts (each change audit-logged as setting.change)."""
    form = TextsForm()
    if not token_valid(form):
        return _render(texts_form=form, status=400)
    try:
        changed = campaign.save_texts(current_user, form.to_input())
    except InvalidTexts as exc:
        form.show_errors(exc.errors)
        return _render(texts_form=form, status=400)
    flash(_("Teks kampanye disimpan.") if changed else _("Tidak ada teks yang berubah."), "success")
    return redirect(url_for("internal.gratifikasi.campaign"))


@staff_bp.route("/kampanye/kegiatan", methods=["POST"], endpoint="campaign_activity_add")
@csrf.exempt
@checks_every_field
def campaign_activity_add():
    """Record a campaign or socialisation activity with its evidence files."""
    form = ActivityForm()
    if not token_valid(form):
        return _render(activity_form=form, status=400)
    data = form.to_input()
    if data is None:
        return _render(activity_form=form, status=400)
    try:
        activity = campaign.record_activity(current_user, data, form.chosen_files(), today=today_jakarta())
    except ActivityRefused as exc:
        form.show_errors(exc.errors)
        return _render(activity_form=form, status=400)
    except UploadRejected as exc:
        form.files.errors = [str(exc)]
        return _render(activity_form=form, status=400)
    flash(_("Kegiatan kampanye disimpan."), "success")
    return redirect(url_for("internal.gratifikasi.campaign", period=period_of(QUARTER, activity.held_on).code))


@staff_bp.route("/kampanye/kegiatan/<int:activity_id>/bukti/<int:attachment_id>", endpoint="campaign_file")
def campaign_file(activity_id: int, attachment_id: int):
    """One evidence file, as a download (an image without its metadata), audit-logged."""
    activity = get_case_or_404(campaign.KIND, activity_id)
    back = url_for("internal.gratifikasi.campaign", period=period_of(QUARTER, activity.held_on).code)
    return send_case_file(lambda: attachments.download(current_user, activity, attachment_id), back)
