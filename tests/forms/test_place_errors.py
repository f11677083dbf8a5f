"""One home for putting a service's refusal on a form's fields (zi_public.forms.place_errors /
place_upload_error), used by the pengaduan, WBS, gratifikasi and declaration forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import MultipleFileField, StringField

from zi_public.forms import place_errors, place_upload_error
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
