"""One home for putting a service's refusal on a form's fields (zi_public.forms.place_errors /
place_upload_error, and place_refusal for either), used by the pengaduan, WBS, gratifikasi and declaration forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, StringField

from zi_public.forms import place_errors, place_refusal, place_upload_error
from zi_public.security.uploads import UploadRejected


class Form(FlaskForm):
    class Meta:
        csrf = False

    title = StringField()
    body = StringField()
    attachments = MultipleFileField()


def test_messages_land_on_their_fields_and_unknown_ones_on_the_fallback(app):
    with app.test_request_context():
        form = Form()
        form.body.errors = ["the form's own finding"]
        place_errors(form, {"title": "Judul salah.", "body": "Uraian salah.", "ghost": "Lainnya."}, "title")
        assert form.title.errors == ["Judul salah."]  # the fallback already had one: the ghost is not added
        assert form.body.errors == ["the form's own finding"]  # kept: it is more precise


def test_without_a_fallback_an_unknown_field_is_dropped(app):
    with app.test_request_context():
        form = Form()
        place_errors(form, {"ghost": "Lainnya."})
        assert not form.title.errors and not form.body.errors


def test_an_upload_refusal_names_the_file(app):
    with app.test_request_context():
        form = Form()
        place_upload_error(form, UploadRejected("too_large", "Berkas terlalu besar.", filename="foto.jpg"))
        assert form.attachments.errors == ["foto.jpg: Berkas terlalu besar."]


def test_a_filings_refusal_goes_where_it_belongs_whichever_check_made_it(app):
    class Refused(ValueError):
        errors = {"body": "Uraian salah.", "ghost": "Lainnya."}

    with app.test_request_context():
        form = Form()
        place_refusal(form, Refused(), "title")
        assert (form.title.errors, form.body.errors) == (["Lainnya."], ["Uraian salah."])
        assert not form.attachments.errors
        place_refusal(form, UploadRejected("bad_type", "Jenis berkas tidak diterima.", filename="a.exe"), "title")
        assert form.attachments.errors == ["a.exe: Jenis berkas tidak diterima."]
