"""The UPG's custody register of entrusted gifts (barang titipan; issue 10, point 6): the list (held, left or
all, searchable), the add form, each item's page with its photos, and for the UPG the edit and exit forms.
The pimpinan reads; the package's restrict_area refuses every other role and every POST but the UPG's.

The forms carry the texts as typed; services/gratifikasi/custody.py checks them (NUL bytes included, hence
`checks_every_field`) and its messages go back on the fields: a refused POST answers 400 with everything
typed kept.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import Field, HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField

from blueprints.case_files import send_case_file
from blueprints.gratifikasi import staff_bp
from zi_public.extensions import csrf
from zi_public.forms import token_valid
from zi_public.labels import label
from zi_public.localtime import today_jakarta
from zi_public.models import GratifikasiCustody, Role
from zi_public.security.input_guard import checks_every_field
from zi_public.security.permissions import get_case_or_404
from zi_public.security.uploads import UploadRejected
from zi_public.services import attachments
from zi_public.services.gratifikasi import custody
from zi_public.services.gratifikasi.custody import (
    ChangeInput,
    CustodyClosed,
    CustodyConflict,
    CustodyRefused,
    ExitInput,
    ItemInput,
)
from zi_public.services.gratifikasi.labels import CUSTODY_EXIT_LABELS

_DATE_MAX = 10  # 2026-12-31
STATE_LABELS = {"held": _l("Masih dititipkan"), "left": _l("Sudah keluar"), "all": _l("Semua")}


def _text(field: Field) -> str:
    return field.data if isinstance(field.data, str) else ""


def _date_field(text: object) -> StringField:
    # Text, not a DateField: the date is read here, so a wrong one comes back as typed with its message.
    return StringField(text, render_kw={"type": "date", "maxlength": _DATE_MAX})


def _day(field: Field) -> tuple[date | None, bool]:
    """The field's ISO date (None when empty) and whether it was one; a bad one gets its message."""
    value = _text(field).strip()
    if not value:
        return None, True
    try:
        if len(value) != _DATE_MAX:
            raise ValueError(value)
        return date.fromisoformat(value), True
    except ValueError:
        field.errors = [*field.errors, _("Tulis tanggal seperti 2026-12-31.")]
        return None, False


class _ServiceForm(FlaskForm):
    def show_errors(self, errors: Mapping[str, object]) -> None:
        """Put the service's messages on the fields they concern (on `description` when none matches)."""
        for key, message in errors.items():
            field = self._fields.get(key) or self._fields.get("description")
            if field is None:
                continue
            field.errors = [*field.errors, str(message)]

    def chosen_files(self) -> list:
        photos = self._fields.get("photos")
        return [f for f in (photos.data if photos else None) or [] if getattr(f, "filename", "")]


class AddForm(_ServiceForm):
    report_number = StringField(
        _l("Nomor laporan gratifikasi (opsional)"),
        render_kw={"maxlength": custody.LIMITS["report_number"], "placeholder": "GRT-2026-000001"},
    )
    received_from = StringField(
        _l("Diterima dari"), render_kw={"maxlength": custody.LIMITS["received_from"], "required": True}
    )
    received_on = _date_field(_l("Tanggal diterima"))
    description = TextAreaField(
        _l("Uraian barang"), render_kw={"rows": 4, "maxlength": custody.LIMITS["description"], "required": True}
    )
    condition = StringField(_l("Kondisi"), render_kw={"maxlength": custody.LIMITS["condition"]})
    storage_location = StringField(
        _l("Tempat penyimpanan"), render_kw={"maxlength": custody.LIMITS["storage_location"]}
    )
    value = StringField(
        _l("Taksiran nilai (Rp, opsional)"), render_kw={"maxlength": custody.LIMITS["value"], "inputmode": "numeric"}
    )
    photos = MultipleFileField(_l("Foto barang (JPEG, PNG atau WebP; opsional)"), render_kw={"accept": "image/*"})
    submit = SubmitField(_l("Simpan barang titipan"))

    def to_input(self) -> ItemInput | None:
        received_on, ok = _day(self.received_on)
        if not ok:
            return None
        return ItemInput(
            received_from=_text(self.received_from),
            received_on=received_on,
            description=_text(self.description),
            condition=_text(self.condition),
            storage_location=_text(self.storage_location),
            value=_text(self.value),
            report_number=_text(self.report_number),
        )


class EditForm(_ServiceForm):
    description = TextAreaField(
        _l("Uraian barang"), render_kw={"rows": 4, "maxlength": custody.LIMITS["description"], "required": True}
    )
    condition = StringField(_l("Kondisi"), render_kw={"maxlength": custody.LIMITS["condition"]})
    storage_location = StringField(
        _l("Tempat penyimpanan"), render_kw={"maxlength": custody.LIMITS["storage_location"]}
    )
    photos = MultipleFileField(_l("Tambah foto (opsional)"), render_kw={"accept": "image/*"})
    version = HiddenField()
    submit = SubmitField(_l("Simpan perubahan"))

    @classmethod
    def of(cls, item: GratifikasiCustody) -> EditForm:
        return cls(
            formdata=None,
            data={
                "description": item.description,
                "condition": item.condition,
                "storage_location": item.storage_location,
                "version": custody.item_version(item),
            },
        )

    def to_input(self) -> ChangeInput:
        return ChangeInput(_text(self.description), _text(self.condition), _text(self.storage_location))


class ExitForm(_ServiceForm):
    left_on = _date_field(_l("Tanggal keluar"))
    left_how = SelectField(
        _l("Cara keluar"),
        choices=[SelectChoice("", _l("Pilih"))] + [SelectChoice(k.value, v) for k, v in CUSTODY_EXIT_LABELS.items()],
        validate_choice=False,
    )
    left_note = TextAreaField(
        _l("Keterangan (nomor berita acara, penerima, …)"),
        render_kw={"rows": 3, "maxlength": custody.LIMITS["left_note"]},
    )
    submit = SubmitField(_l("Catat barang keluar"))

    def to_input(self) -> ExitInput | None:
        left_on, ok = _day(self.left_on)
        if not ok:
            return None
        return ExitInput(left_on=left_on, left_how=_text(self.left_how), note=_text(self.left_note))


def _can_write() -> bool:
    return current_user.role == Role.UPG


@staff_bp.route("/titipan", endpoint="custody")
def custody_list():
    """The register, newest first, a page at a time: held (default), left or all; searchable."""
    state = request.args.get("state", "held")
    if state not in custody.FILTERS:
        state = "held"
    search = (request.args.get("q") or "")[: custody.SEARCH_MAX]
    page = custody.list_items(state=state, search=search, args=request.args.to_dict())
    return render_template(
        "gratifikasi/staff/custody.html",
        page=page,
        state=state,
        search=search,
        state_labels=STATE_LABELS,
        exit_labels=CUSTODY_EXIT_LABELS,
        label=label,
        can_write=_can_write(),
    )


def _render_add(form: AddForm, status: int = 200):  # noqa: ANN202
    return render_template("gratifikasi/staff/custody_add.html", form=form, can_write=_can_write()), status


@staff_bp.route("/titipan/baru", methods=["GET", "POST"], endpoint="custody_add")
@csrf.exempt
@checks_every_field
def custody_add():
    """The form for a new item (the pimpinan sees it without the save button)."""
    if request.method == "GET":
        return _render_add(AddForm(formdata=None))
    form = AddForm()
    if not token_valid(form):
        return _render_add(form, 400)
    data = form.to_input()
    if data is None:
        return _render_add(form, 400)
    try:
        item = custody.add_item(current_user, data, form.chosen_files(), today=today_jakarta())
    except CustodyRefused as exc:
        form.show_errors(exc.errors)
        return _render_add(form, 400)
    except UploadRejected as exc:
        form.photos.errors = [str(exc)]
        return _render_add(form, 400)
    flash(_("Barang titipan dicatat."), "success")
    return redirect(url_for("internal.gratifikasi.custody_item", item_id=item.id))


def _render_item(item: GratifikasiCustody, *, edit: EditForm | None = None, leave: ExitForm | None = None, status=200):  # noqa: ANN001,ANN202
    html = render_template(
        "gratifikasi/staff/custody_item.html",
        item=item,
        photos=attachments.originals(item),
        edit_form=edit or EditForm.of(item),
        exit_form=leave or ExitForm(formdata=None),
        exit_labels=CUSTODY_EXIT_LABELS,
        label=label,
        can_write=_can_write() and item.left_on is None,
    )
    return html, status


@staff_bp.route("/titipan/<int:item_id>", endpoint="custody_item")
def custody_item(item_id: int):
    """One item with its photos (the view is audit-logged), and for the UPG the edit and exit forms."""
    item = get_case_or_404(custody.KIND, item_id)
    custody.read_item(current_user, item)
    return _render_item(item)


@staff_bp.route("/titipan/<int:item_id>/ubah", methods=["POST"], endpoint="custody_update")
@csrf.exempt
@checks_every_field
def custody_update(item_id: int):
    """Save the description, condition and place of an item still held, and add photos."""
    item = get_case_or_404(custody.KIND, item_id, for_write=True)
    form = EditForm()
    if not token_valid(form):
        return _render_item(item, edit=form, status=400)
    try:
        custody.update_item(current_user, item, form.to_input(), form.chosen_files(), version=form.version.data or "")
    except CustodyClosed:
        flash(_("Barang ini sudah keluar dan tidak dapat diubah lagi."), "error")
        return _render_item(item, status=409)
    except CustodyConflict:
        form.version.data = custody.item_version(item)
        flash(_("Petugas lain baru saja menyimpan barang ini. Periksa isiannya lalu simpan lagi."), "error")
        return _render_item(item, edit=form, status=409)
    except CustodyRefused as exc:
        form.show_errors(exc.errors)
        return _render_item(item, edit=form, status=400)
    except UploadRejected as exc:
        form.photos.errors = [str(exc)]
        return _render_item(item, edit=form, status=400)
    flash(_("Perubahan disimpan."), "success")
    return redirect(url_for("internal.gratifikasi.custody_item", item_id=item.id))


@staff_bp.route("/titipan/<int:item_id>/keluar", methods=["POST"], endpoint="custody_exit")
@csrf.exempt
@checks_every_field
def custody_exit(item_id: int):
    """Record how the item left the UPG's custody (once)."""
    item = get_case_or_404(custody.KIND, item_id, for_write=True)
    form = ExitForm()
    if not token_valid(form):
        return _render_item(item, leave=form, status=400)
    data = form.to_input()
    if data is None:
        return _render_item(item, leave=form, status=400)
    try:
        custody.record_exit(current_user, item, data, today=today_jakarta())
    except CustodyClosed:
        flash(_("Barang ini sudah tercatat keluar."), "error")
        return _render_item(item, status=409)
    except CustodyRefused as exc:
        form.show_errors(exc.errors)
        return _render_item(item, leave=form, status=400)
    flash(_("Barang keluar dicatat."), "success")
    return redirect(url_for("internal.gratifikasi.custody_item", item_id=item.id))


@staff_bp.route("/titipan/<int:item_id>/foto/<int:attachment_id>", endpoint="custody_photo")
def custody_photo(item_id: int, attachment_id: int):
    """One photo, as a download without its metadata (audit-logged)."""
    item = get_case_or_404(custody.KIND, item_id)
    back = url_for("internal.gratifikasi.custody_item", item_id=item.id)
    return send_case_file(lambda: attachments.download(current_user, item, attachment_id), back)
