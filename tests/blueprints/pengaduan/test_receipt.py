"""The web receipt says when the complaint was received (Jakarta time, to the minute) and its category, in the
page's language, beside the number and the access code shown once (the kiosk's receipt: test_kiosk.py)."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.blueprints.pengaduan.test_public_form import RECEIPT, post_form
from zi_public.extensions import db
from zi_public.models import Pengaduan

#: 17.05 UTC on 30 November is five past midnight on 1 December in Jakarta: the day turns too.
RECEIVED_AT_UTC = datetime(2026, 11, 30, 17, 5)  # naive UTC, as *_at columns store it


def fact(page: str, css_class: str) -> str:
    """The text of the receipt's <dd class="css_class">."""
    return re.search(rf'<dd class="{css_class}">([^<]*)</dd>', page).group(1)


def file_received_at(app, client, when: datetime, **overrides: object) -> None:
    """File through the web form, then set when it entered the system (the service stamps now)."""
    assert post_form(client, **overrides).status_code == 302
    with app.app_context():
        db.session.scalar(sa.select(Pengaduan)).received_at = when
        db.session.commit()


@pytest.mark.parametrize(
    ("lang", "terms", "received", "category"),
    [
        ("id", ("Diterima", "Kategori"), "1 Desember 2026, 00.05 WIB", "Waktu penyelesaian"),
        ("en", ("Received", "Category"), "1 December 2026, 00.05 WIB", "Completion time"),
    ],
)
def test_the_receipt_says_when_in_jakarta_time_and_the_category_in_the_pages_language(
    app, client, seeded, lang, terms, received, category
):
    client.set_cookie("zi_lang", lang)
    file_received_at(app, client, RECEIVED_AT_UTC)
    page = client.get(RECEIPT).get_data(as_text=True)
    assert 'class="secret receipt-code"' in page  # the code, shown this once
    assert fact(page, "receipt-received") == received
    assert fact(page, "receipt-category") == category
    assert all(f"<dt>{term}</dt>" in page for term in terms)
    again = client.get(RECEIPT).get_data(as_text=True)  # a reload: no code any more, the same facts
    assert "receipt-code" not in again
    assert (fact(again, "receipt-received"), fact(again, "receipt-category")) == (received, category)


def test_a_double_submission_shows_the_facts_of_the_complaint_filed_first(app, client, seeded):
    file_received_at(app, client, datetime(2026, 3, 2, 1, 59), category="biaya")
    assert post_form(client, category="biaya").status_code == 302  # the same submission key again
    page = client.get(RECEIPT).get_data(as_text=True)
    assert "sudah terkirim sebelumnya" in page and "receipt-code" not in page
    assert fact(page, "receipt-received") == "2 Maret 2026, 08.59 WIB"
    assert fact(page, "receipt-category") == "Biaya atau tarif"
