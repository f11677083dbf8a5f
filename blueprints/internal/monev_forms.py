"""The forms of the semester monev page (blueprints/internal/monev.py): an evaluation's forms
(zi_public/forms/evaluation.py) in the monev's words, and the edit of a recommendation while its monev is a draft."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SubmitField

from zi_public.forms.evaluation import ItemUpdateForm, NewVersionForm, final_form, item_form, text_form, version_field

__all__ = ["FinalForm", "ItemEditForm", "ItemForm", "ItemUpdateForm", "NewVersionForm", "TextForm"]

TextForm = text_form(_l("Evaluasi semester"))
ItemForm = item_form(_l("Isi rekomendasi"), _l("Tambah rekomendasi"))
FinalForm = final_form(
    _l("Saya mengerti: setelah final, evaluasi dan rekomendasi tidak dapat diubah lagi kecuali dengan versi baru.")
)


class ItemEditForm(ItemForm):
    version = version_field()
    submit = SubmitField(_l("Simpan perubahan"))
