"""The exempt categories and limits in force on a date (rules/gratifikasi_regulations.py over the dated data):
PerKPK 2/2019 until 19 January 2026, PerKPK 1/2026 from 20 January 2026."""

from __future__ import annotations

from datetime import date

import pytest

from zi_public.rules import gratifikasi_regulations as regs

LAST_OLD, FIRST_NEW = date(2026, 1, 19), date(2026, 1, 20)


def test_the_regulation_changes_on_20_january_2026():
    assert regs.regulation_on(LAST_OLD).code == "perkpk-2-2019"
    assert regs.regulation_on(FIRST_NEW).code == "perkpk-1-2026"
    assert regs.regulation_on(date(2019, 1, 1)).code == "perkpk-2-2019"
    assert regs.regulation_on(date(2030, 1, 1)).code == "perkpk-1-2026"
    assert regs.regulations()[0].in_force_until == LAST_OLD


def test_completion_days_are_30_then_20():
    assert regs.completion_days_on(LAST_OLD) == 30
    assert regs.completion_days_on(FIRST_NEW) == 20


@pytest.mark.parametrize(
    ("day", "code", "per_giver", "per_year"),
    [
        (LAST_OLD, "pernikahan_adat", 1_000_000, None),
        (FIRST_NEW, "pernikahan_adat", 1_500_000, None),
        (LAST_OLD, "rekan_kerja", 200_000, 1_000_000),
        (FIRST_NEW, "rekan_kerja", 500_000, 1_500_000),
        (LAST_OLD, "pisah_sambut", 300_000, 1_000_000),
    ],
)
def test_limits_in_force(day, code, per_giver, per_year):
    exemption = regs.regulation_on(day).exemption(code)
    assert exemption is not None
    assert (exemption.limit_per_giver, exemption.limit_per_year) == (per_giver, per_year)


def test_the_farewell_and_birthday_category_is_gone_from_20_january_2026():
    new = regs.regulation_on(FIRST_NEW)
    assert new.exemption("pisah_sambut") is None
    assert [item.code for item in new.removed] == ["pisah_sambut"]
    old = regs.regulation_on(LAST_OLD)
    assert len(new.exemptions) == len(old.exemptions) - 1
    # Everything else carries over unchanged.
    unchanged = {"keluarga", "musibah", "hidangan", "karangan_bunga"}
    for code in unchanged:
        assert new.exemption(code) == old.exemption(code)


def test_a_wedding_gift_of_1_2_million_is_exempt_only_under_the_new_rule():
    before = regs.assess(LAST_OLD, "pernikahan_adat", "uang", 1_200_000)
    after = regs.assess(FIRST_NEW, "pernikahan_adat", "uang", 1_200_000)
    assert (before.applies, before.over_limit) == (False, True)
    assert (after.applies, after.over_limit) == (True, False)
    assert after.regulation.short.id == "PerKPK 1/2026"


def test_a_birthday_gift_after_the_change_points_to_the_colleague_category():
    result = regs.assess(date(2026, 6, 1), "pisah_sambut", "barang", 250_000)
    assert result.applies is False and result.removed is not None and result.exemption is None
    assert result.successor is not None and result.successor.code == "rekan_kerja"
    assert regs.assess(LAST_OLD, "pisah_sambut", "barang", 250_000).applies is True


def test_money_is_never_covered_by_a_non_cash_category():
    result = regs.assess(FIRST_NEW, "rekan_kerja", "uang", 100_000)
    assert result.applies is False and result.cash_not_covered


def test_no_or_unknown_category_decides_nothing():
    assert regs.assess(FIRST_NEW, None, "barang", 1).applies is None
    assert regs.assess(FIRST_NEW, "tidak-ada", "barang", 1).applies is None


def test_texts_follow_the_language():
    exemption = regs.regulation_on(FIRST_NEW).exemption("pernikahan_adat")
    assert "Rp1.500.000" in exemption.summary.get("id")
    assert "Rp1,500,000" in exemption.summary.get("en")
    assert exemption.summary.get(None) == exemption.summary.id


def test_an_amendment_that_removes_an_unknown_category_is_refused():
    data = {
        "regulations": [
            {
                "code": "a",
                "name": "A",
                "short": "A",
                "in_force_from": None,
                "completion_days": 30,
                "late_note": "x",
                "exemptions": [],
            },
            {
                "code": "b",
                "name": "B",
                "short": "B",
                "in_force_from": "2030-01-01",
                "completion_days": 20,
                "late_note": "y",
                "amends": "a",
                "removed": ["ghost"],
            },
        ]
    }
    with pytest.raises(ValueError, match="ghost"):
        regs.parse(data)


def test_every_category_code_is_known_once():
    codes = regs.category_codes()
    assert len(codes) == len(set(codes)) and "pisah_sambut" in codes
