"""The complaint form as the kiosk shows it: no attachments, no autofill, touch keyboards."""

from __future__ import annotations

from zi_public.forms.pengaduan import PengaduanForm

#: On-screen keyboard per field. autocomplete="off" everywhere: on a shared machine the browser
#: must never offer the previous person's name, email or phone.
_KEYBOARDS = {
    "name": {"autocapitalize": "words"},
    "email": {"inputmode": "email", "autocapitalize": "off", "spellcheck": "false"},
    "phone": {"inputmode": "tel", "type": "tel"},
    "nik": {"inputmode": "numeric", "pattern": "[0-9]*"},
    "title": {"autocapitalize": "sentences"},
    "description": {"autocapitalize": "sentences", "rows": "6"},
    "requested_resolution": {"autocapitalize": "sentences", "rows": "4"},
    "location": {"autocapitalize": "sentences"},
}


class KioskPengaduanForm(PengaduanForm):
    # No personal files on a shared machine: the kiosk takes no attachments (WTForms drops a
    # field set to None in a subclass).
    attachments = None

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        for field in self:
            if field.type in ("CSRFTokenField", "HiddenField", "SubmitField"):
                continue
            field.render_kw = {**(field.render_kw or {}), "autocomplete": "off", **_KEYBOARDS.get(field.name, {})}
