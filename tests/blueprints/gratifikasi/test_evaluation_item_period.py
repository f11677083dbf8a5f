"""A follow-up item's quarter is written as a quarter's name on the evaluation page, in the page's language,
never as the stored code (the checker of issue 10 found '2026-Q4' in the 'Set in' column of the English page)."""

from __future__ import annotations

import pytest

from tests.blueprints.gratifikasi.test_evaluation import add_item
from zi_public.localtime import today_jakarta
from zi_public.rules.periods import QUARTER, period_of, previous

PAGE = "/internal/gratifikasi/benturan/evaluasi"


@pytest.mark.parametrize("language", ["id", "en"])
def test_an_items_quarter_is_named_not_coded(seeded, client, login_as, language):
    quarter = period_of(QUARTER, today_jakarta())
    earlier = previous(quarter)
    add_item(seeded, earlier.code, "Perbarui pemetaan bidang")
    add_item(seeded, quarter.code, "Sosialisasi ulang")
    login_as("upg")
    client.set_cookie("zi_lang", language)
    html = client.get(PAGE).get_data(as_text=True)
    for period in (earlier, quarter):
        name = period.label_id if language == "id" else period.label_id.replace("Triwulan", "Quarter")
        assert f"<td>{name}" in html
        assert f"<td>{period.code}" not in html
