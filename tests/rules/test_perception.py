"""Perception questionnaires as data: the schema, the answers, reverse scoring, the index and its rounding."""

from __future__ import annotations

import copy
import itertools
import json
from decimal import Decimal
from fractions import Fraction

import pytest

from zi_public.rules import perception as rules
from zi_public.rules.ikm import ikm_from_answers
from zi_public.services.skm.perception import SHIPPED_FILE


def definition(**overrides: object) -> dict:
    """A small valid definition (scale 1-4, two items), with top-level keys overridden."""
    data = {
        "code": "uji",
        "title": {"id": "Survei uji", "en": "Test survey"},
        "source": {"name": "Pedoman uji", "urls": ["https://example.org/pedoman"], "note": "Contoh."},
        "scale": {"min": 1, "max": 4, "labels": ["Buruk", "Kurang", "Baik", {"id": "Sangat baik", "en": "Very good"}]},
        "items": [{"code": "A1", "text": "Butir satu"}, {"code": "A2", "text": "Butir dua", "reverse": True}],
        "index": {"formula": "mean", "places": 2},
    }
    data.update(overrides)
    return data


def problems(data: object) -> set[tuple[str, str]]:
    with pytest.raises(rules.DefinitionError) as caught:
        rules.parse_definition(data)
    return {(p.path, p.code) for p in caught.value.problems}


# --- the shipped questionnaire -----------------------------------------------------------------------


def test_the_shipped_questionnaire_fits_the_schema_and_round_trips():
    data = json.loads(SHIPPED_FILE.read_text(encoding="utf-8"))
    assert [entry["code"] for entry in data["questionnaires"]] == ["spak"]
    spak = rules.parse_definition(data["questionnaires"][0])
    assert [item.code for item in spak.items] == ["P1", "P2", "P3", "P4", "P5"]
    assert (spak.scale.min, spak.scale.max, len(spak.scale.labels)) == (1, 6, 6)
    assert spak.index == rules.IndexFormula("mean", 2, None) and spak.bands == ()
    assert "Nomor 90 Tahun 2021" in spak.source.name and spak.source.urls and spak.source.note
    assert all(item.text.id and item.text.en for item in spak.items)
    assert rules.parse_definition(json.loads(json.dumps(spak.as_data()))) == spak


def test_text_falls_back_to_indonesian_without_english():
    text = rules.Text("Butir")
    assert text.get("en") == "Butir" and rules.Text("Butir", "Item").get("en") == "Item"
    assert rules.Text("Butir", "Item").get("id") == "Butir" and rules.Text("Butir", "Item").get(None) == "Butir"


def test_a_small_definition_parses_with_strings_as_indonesian_texts():
    parsed = rules.parse_definition(definition(intro="Isi semua", _comment="ignored"))
    assert parsed.title == rules.Text("Survei uji", "Test survey") and parsed.intro == rules.Text("Isi semua")
    assert parsed.scale.label(4) == rules.Text("Sangat baik", "Very good") and parsed.scale.label(1).id == "Buruk"
    assert parsed.items[1].reverse and not parsed.items[0].reverse
    assert parsed.item("A2") is parsed.items[1] and parsed.item("X") is None
    assert parsed.index_range() == (Fraction(1), Fraction(4))


# --- schema problems ---------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, [], "spak", 3])
def test_a_definition_must_be_an_object(value):
    assert problems(value) == {("", "type_object")}


def test_every_required_key_is_named_and_unknown_keys_are_refused():
    assert problems({"colour": "red"}) == {
        ("colour", "unknown_key"),
        *((key, "required") for key in ("code", "title", "source", "scale", "items", "index")),
    }


@pytest.mark.parametrize("code", ["", "SPAK", "-spak", "a" * 41, "sp ak", "spak\n", 7, "späk"])
def test_the_code_is_lower_case_letters_digits_and_dashes(code):
    # Exactly one problem with the code, its pattern (an empty or non-text code too): never "required" for a
    # key that is present, never silence.
    assert {p for p in problems(definition(code=code)) if p[0] == "code"} == {("code", "pattern")}


@pytest.mark.parametrize("code", ["a", "spak-2026", "0", "a" * 40])
def test_codes_that_fit(code):
    assert rules.parse_definition(definition(code=code)).code == code


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        ("x" * 201, "too_long"),
        ("a\x07b", "unreadable"),
        ("two\nlines", "line_break"),
        ("   ", "required"),
        ("\u200b\u200d", "required"),
        (5, "type_text"),
        ({"en": "Only English"}, "required"),
    ],
)
def test_titles_are_readable_single_lines(title, problem):
    found = problems(definition(title=title))
    assert any(code == problem for _path, code in found), found


def test_a_title_of_exactly_200_characters_fits():
    assert len(rules.parse_definition(definition(title="x" * 200)).title.id) == 200


def test_the_intro_may_span_lines():
    assert rules.parse_definition(definition(intro="Baris satu\nBaris dua")).intro.id == "Baris satu\nBaris dua"


@pytest.mark.parametrize(
    ("scale", "expected"),
    [
        ({"min": -1, "max": 4, "labels": []}, ("scale.min", "range")),
        ({"min": 1, "max": 11, "labels": []}, ("scale.max", "range")),
        ({"min": 4, "max": 4, "labels": ["a"]}, ("scale.max", "above_min")),
        ({"min": 5, "max": 4, "labels": ["a"]}, ("scale.max", "above_min")),
        ({"min": 1, "max": 4, "labels": ["a", "b", "c"]}, ("scale.labels", "count")),
        ({"min": 1, "max": 4, "labels": ["a", "b", "c", "d", "e"]}, ("scale.labels", "count")),
        ({"min": 1.0, "max": 4, "labels": ["a", "b", "c", "d"]}, ("scale.min", "type_int")),
        ({"min": True, "max": 4, "labels": ["a", "b", "c", "d"]}, ("scale.min", "type_int")),
        ({"min": 1, "max": 4, "labels": "abcd"}, ("scale.labels", "type_list")),
        ({"min": 1, "max": 4, "labels": ["a", "b", "", "d"]}, ("scale.labels[2]", "required")),
        ({"min": 1, "max": 4, "labels": ["a", "b", "c", "x" * 61]}, ("scale.labels[3]", "too_long")),
    ],
)
def test_scale_problems(scale, expected):
    assert expected in problems(definition(scale=scale))


@pytest.mark.parametrize(("low", "high"), [(0, 1), (0, 10), (9, 10), (1, 6), (1, 4)])
def test_scale_edges_that_fit(low, high):
    scale = {"min": low, "max": high, "labels": [str(p) for p in range(low, high + 1)]}
    parsed = rules.parse_definition(definition(scale=scale))
    assert list(parsed.scale.points) == list(range(low, high + 1))


def test_item_problems():
    items = [
        {"code": "A1", "text": "Satu"},
        {"code": "a1", "text": "Duplikat tanpa beda huruf"},
        {"code": "1A", "text": "Diawali angka"},
        {"code": "A" * 17, "text": "Terlalu panjang"},
        {"code": "A5", "text": "x" * 501},
        {"code": "A6", "text": "Reverse", "reverse": "yes"},
        {"code": "A7"},
        {"code": "A8", "text": "Kolom lain", "weight": 2},
        "A9",
    ]
    found = problems(definition(items=items))
    assert {
        ("items[1].code", "duplicate"),
        ("items[2].code", "item_pattern"),
        ("items[3].code", "item_pattern"),
        ("items[4].text", "too_long"),
        ("items[5].reverse", "type_bool"),
        ("items[6].text", "required"),
        ("items[7].weight", "unknown_key"),
        ("items[8]", "type_object"),
    } <= found


@pytest.mark.parametrize("count", [0, rules.MAX_ITEMS + 1])
def test_a_questionnaire_has_one_to_fifty_items(count):
    items = [{"code": f"A{i}", "text": f"Butir {i}"} for i in range(count)]
    assert ("items", "count") in problems(definition(items=items))


def test_fifty_items_fit():
    items = [{"code": f"A{i}", "text": f"Butir {i}"} for i in range(rules.MAX_ITEMS)]
    assert len(rules.parse_definition(definition(items=items)).items) == rules.MAX_ITEMS


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("", ("source", "required")),
        ({"urls": []}, ("source.name", "required")),
        ({"name": "P", "urls": ["ftp://x"]}, ("source.urls[0]", "url")),
        ({"name": "P", "urls": ["https://a b"]}, ("source.urls[0]", "url")),
        ({"name": "P", "urls": ["https://a"] * 6}, ("source.urls", "count")),
        ({"name": "P", "note": "x" * 2001}, ("source.note", "too_long")),
    ],
)
def test_source_problems(source, expected):
    assert expected in problems(definition(source=source))


def test_a_source_may_be_a_plain_name():
    assert rules.parse_definition(definition(source="PermenPANRB 90/2021")).source == rules.Source(
        "PermenPANRB 90/2021"
    )


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        ({"formula": "median"}, ("index.formula", "formula")),
        ({"formula": "mean", "places": 5}, ("index.places", "range")),
        ({"formula": "mean", "places": -1}, ("index.places", "range")),
        ({"formula": "mean", "to": 100}, ("index.to", "not_for_mean")),
        ({"formula": "mean_scaled"}, ("index.to", "required")),
        ({"formula": "mean_normalised", "to": 0}, ("index.to", "range")),
        ({"formula": "mean_scaled", "to": 1001}, ("index.to", "range")),
        ({"formula": "mean", "weights": [1]}, ("index.weights", "unknown_key")),
    ],
)
def test_index_problems(index, expected):
    assert expected in problems(definition(index=index))


def test_places_default_to_two():
    assert rules.parse_definition(definition(index={"formula": "mean"})).index.places == 2


BANDS_100 = {"formula": "mean_scaled", "to": 100, "places": 2}


def test_bands_parse_highest_first_from_numbers_or_texts():
    bands = [
        {"min": "88.31", "code": "a", "label": "Sangat baik"},
        {"min": 76.61, "code": "b", "label": "Baik"},
        {"min": 25, "code": "d", "label": "Buruk"},
    ]
    parsed = rules.parse_definition(definition(index=BANDS_100, bands=bands))
    assert [b.lowest for b in parsed.bands] == [Decimal("88.31"), Decimal("76.61"), Decimal("25")]
    assert rules.parse_definition(json.loads(json.dumps(parsed.as_data()))) == parsed


@pytest.mark.parametrize(
    ("bands", "expected"),
    [
        (
            [{"min": "50", "code": "b", "label": "B"}, {"min": "60", "code": "a", "label": "A"}],
            ("bands[1].min", "order"),
        ),
        (
            [{"min": "50", "code": "b", "label": "B"}, {"min": "50", "code": "a", "label": "A"}],
            ("bands[1].min", "order"),
        ),
        ([{"min": "100.01", "code": "a", "label": "A"}], ("bands[0].min", "band_range")),
        ([{"min": "50.001", "code": "a", "label": "A"}], ("bands[0].min", "places")),
        ([{"min": "lima", "code": "a", "label": "A"}], ("bands[0].min", "type_number")),
        ([{"min": True, "code": "a", "label": "A"}], ("bands[0].min", "type_number")),
        ([{"min": "NaN", "code": "a", "label": "A"}], ("bands[0].min", "type_number")),
        ([{"min": "60", "code": "A", "label": "A"}], ("bands[0].code", "band_code")),
        (
            [{"min": "60", "code": "a", "label": "A"}, {"min": "50", "code": "a", "label": "B"}],
            ("bands[1].code", "band_code"),
        ),
        ([], ("bands", "count")),
    ],
)
def test_band_problems(bands, expected):
    assert expected in problems(definition(index=BANDS_100, bands=bands))


def test_a_band_at_exactly_the_highest_index_fits():
    parsed = rules.parse_definition(definition(index=BANDS_100, bands=[{"min": "100", "code": "a", "label": "A"}]))
    assert parsed.bands[0].lowest == Decimal("100")


# --- answers -----------------------------------------------------------------------------------------

SCALE_1_6 = rules.Scale(1, 6, tuple(rules.Text(str(p)) for p in range(1, 7)))
SCALE_0_10 = rules.Scale(0, 10, tuple(rules.Text(str(p)) for p in range(0, 11)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, 1), (6, 6), (0, None), (7, None), (-1, None),
        ("1", 1), (" 6 ", 6), ("06", 6), ("0", None), ("7", None), ("", None), ("  ", None),
        (True, None), (False, None), (2.0, None), (2.5, None), ("2.0", None), ("tiga", None),
        ("\u0663", None), ("+3", None), ("3\x00", None), (None, None), ([3], None), ({"v": 3}, None),
        ("100", None), (10**100, None),
    ],
)  # fmt: skip
def test_answers_on_a_one_to_six_scale(value, expected):
    assert rules.parse_value(value, SCALE_1_6) == expected


@pytest.mark.parametrize(("value", "expected"), [(0, 0), ("0", 0), (10, 10), ("10", 10), (11, None), ("11", None)])
def test_answers_on_a_zero_to_ten_scale(value, expected):
    assert rules.parse_value(value, SCALE_0_10) == expected


def test_parse_answers_names_each_missing_or_invalid_item():
    q = rules.parse_definition(definition())
    assert rules.parse_answers(q, {"A1": 4, "A2": "1"}) == ({"A1": 4, "A2": 1}, {})
    assert rules.parse_answers(q, {"A1": 5, "A2": ""}) == (None, {"A1": "invalid", "A2": "missing"})
    assert rules.parse_answers(q, {}) == (None, {"A1": "missing", "A2": "missing"})
    assert rules.parse_answers(q, {"A1": 1, "A2": 1, "A3": 1}) == ({"A1": 1, "A2": 1}, {})  # lenient
    assert rules.parse_answers(q, {"A1": 1, "A2": 1, "A3": 1}, strict=True) == (None, {"A3": "unknown"})
    junk = {f"x{i}": 1 for i in range(1000)}
    _answers, errors = rules.parse_answers(q, {"A1": 1, "A2": 1, **junk}, strict=True)
    assert len(errors) == rules.MAX_UNKNOWN_LISTED


@pytest.mark.parametrize(("answer", "scored"), [(1, 6), (2, 5), (3, 4), (4, 3), (5, 2), (6, 1)])
def test_a_reverse_scored_item_counts_min_plus_max_minus_the_answer(answer, scored):
    reverse = rules.Item("R", rules.Text("r"), reverse=True)
    plain = rules.Item("P", rules.Text("p"))
    assert rules.score(answer, reverse, SCALE_1_6) == scored
    assert rules.score(answer, plain, SCALE_1_6) == answer


# --- results -----------------------------------------------------------------------------------------


def questionnaire(low: int, high: int, formula: str = "mean", to: int | None = None, places: int = 2, **kw: object):
    index = {"formula": formula, "places": places, **({"to": to} if to is not None else {})}
    scale = {"min": low, "max": high, "labels": [str(p) for p in range(low, high + 1)]}
    items = kw.pop("items", [{"code": "A1", "text": "Satu"}, {"code": "A2", "text": "Dua"}])
    return rules.parse_definition(definition(scale=scale, index=index, items=items, **kw))


def test_no_responses_no_result():
    assert rules.result_from_counts(questionnaire(1, 6), 0, {}) is None
    assert rules.result_from_answers(questionnaire(1, 6), []) is None


@pytest.mark.parametrize(
    ("formula", "to", "all_min", "all_max"),
    [
        ("mean", None, Decimal("1.00"), Decimal("6.00")),
        ("mean_scaled", 100, Decimal("16.67"), Decimal("100.00")),
        ("mean_normalised", 100, Decimal("0.00"), Decimal("100.00")),
        ("mean_scaled", 4, Decimal("0.67"), Decimal("4.00")),
        ("mean_normalised", 10, Decimal("0.00"), Decimal("10.00")),
    ],
)
def test_the_scale_edges_give_the_formula_edges(formula, to, all_min, all_max):
    q = questionnaire(1, 6, formula, to)
    lowest = rules.result_from_answers(q, [{"A1": 1, "A2": 1}] * 3)
    highest = rules.result_from_answers(q, [{"A1": 6, "A2": 6}] * 3)
    assert (lowest.index, highest.index) == (all_min, all_max)
    assert (lowest.mean, highest.mean) == (1, 6)


def test_a_reverse_scored_item_turns_its_lowest_answer_into_the_highest_score():
    q = questionnaire(1, 6, items=[{"code": "A1", "text": "Satu"}, {"code": "A2", "text": "Dua", "reverse": True}])
    result = rules.result_from_answers(q, [{"A1": 6, "A2": 1}, {"A1": 6, "A2": 2}])
    assert result.item("A2").counts == {1: 1, 2: 1, 3: 0, 4: 0, 5: 0, 6: 0}  # answers as given
    assert result.item("A2").score_sum == 6 + 5 and result.item("A2").mean == Fraction(11, 2)
    assert result.mean == Fraction(12 + 11, 4) and result.index == Decimal("5.75")


def test_the_one_to_four_scale_times_twenty_five_is_the_ikm():
    q = questionnaire(1, 4, "mean_scaled", 100, items=[{"code": f"U{i}", "text": f"Unsur {i}"} for i in range(1, 10)])
    rows = [[4, 3, 3, 4, 3, 2, 4, 4, 3], [3, 3, 4, 4, 4, 3, 3, 4, 4], [2, 3, 3, 4, 3, 3, 4, 3, 4]]
    ours = rules.result_from_answers(q, [{f"U{i}": row[i - 1] for i in range(1, 10)} for row in rows])
    assert ours.index == ikm_from_answers(rows).ikm and ours.index_exact == ikm_from_answers(rows).ikm_exact


def test_rounding_is_half_up_at_the_end_only():
    one_item = [{"code": "A1", "text": "Satu"}]
    q = questionnaire(1, 6, items=one_item)
    # 200 answers summing to 801: mean 4.005 exactly -> 4.01 (banker's rounding would give 4.00).
    half = rules.result_from_counts(q, 200, {"A1": {4: 199, 5: 1}})
    assert half.mean == Fraction(801, 200) and half.index == Decimal("4.01")
    below = rules.result_from_counts(q, 1000, {"A1": {4: 996, 5: 4}})  # 4.004
    assert below.index == Decimal("4.00")
    q0 = questionnaire(1, 6, places=0, items=one_item)
    assert rules.result_from_counts(q0, 2, {"A1": {4: 1, 5: 1}}).index == Decimal("5")  # 4.5 -> 5
    assert rules.result_from_counts(q0, 4, {"A1": {4: 3, 6: 1}}).index == Decimal("5")  # 4.5 -> 5
    q4 = questionnaire(1, 6, places=4, items=one_item)
    assert rules.result_from_counts(q4, 3, {"A1": {4: 2, 5: 1}}).index == Decimal("4.3333")
    assert rules.result_from_counts(q4, 3, {"A1": {4: 1, 5: 2}}).index == Decimal("4.6667")
    # Item means are rounded for display only; the index uses exact values.
    three = rules.result_from_counts(q, 3, {"A1": {4: 2, 5: 1}})
    assert three.item("A1").mean_rounded(3) == Decimal("4.333") and three.index_exact == Fraction(13, 3)


def test_exhaustively_the_index_is_the_exact_mean_of_the_scores():
    # Every set of two responses to a reverse-scored and a plain item on a 1-3 scale (81 sets), each formula.
    items = [{"code": "A1", "text": "Satu"}, {"code": "A2", "text": "Dua", "reverse": True}]
    formulas = [("mean", None), ("mean_scaled", 100), ("mean_normalised", 100)]
    for formula, to in formulas:
        q = questionnaire(1, 3, formula, to, places=4, items=items)
        for a, b, c, d in itertools.product(range(1, 4), repeat=4):
            result = rules.result_from_answers(q, [{"A1": a, "A2": b}, {"A1": c, "A2": d}])
            mean = Fraction(a + (4 - b) + c + (4 - d), 4)
            expected = {"mean": mean, "mean_scaled": mean * 100 / 3, "mean_normalised": (mean - 1) * 100 / 2}[formula]
            assert result.index_exact == expected
            assert result.index == Decimal(int(expected * 10000 + Fraction(1, 2))) / 10000


def test_bands_apply_to_the_rounded_index_edge_included():
    bands = [{"min": "88.31", "code": "a", "label": "A"}, {"min": "65", "code": "c", "label": "C"}]
    q = questionnaire(1, 4, "mean_scaled", 100, bands=bands, items=[{"code": "A1", "text": "Satu"}])
    band = rules.result_from_counts(q, 10000, {"A1": {4: 5324, 3: 4676}})  # 3.5324 x 25 = 88.31 exactly
    assert band.index == Decimal("88.31") and band.band.code == "a"
    below = rules.result_from_counts(q, 100000, {"A1": {4: 53238, 3: 46762}})  # 88.3095 -> 88.31
    assert below.index == Decimal("88.31") and below.band.code == "a"
    lower = rules.result_from_counts(q, 10000, {"A1": {4: 5323, 3: 4677}})  # 88.3075 -> 88.31
    assert lower.band.code == "a"
    gap = rules.result_from_counts(q, 1000, {"A1": {4: 532, 3: 468}})  # 88.30
    assert gap.index == Decimal("88.30") and gap.band.code == "c"
    none = rules.result_from_counts(q, 1, {"A1": {2: 1}})  # 50.00: below every band
    assert none.band is None


def test_counts_no_set_of_complete_responses_can_give_are_refused():
    q = questionnaire(1, 6)
    with pytest.raises(ValueError, match="off the scale"):
        rules.result_from_counts(q, 1, {"A1": {7: 1}, "A2": {1: 1}})
    with pytest.raises(ValueError, match="off the scale"):
        rules.result_from_counts(q, 1, {"A1": {0: 1}, "A2": {1: 1}})
    with pytest.raises(ValueError, match="answers for"):
        rules.result_from_counts(q, 2, {"A1": {1: 1}, "A2": {1: 2}})
    with pytest.raises(ValueError, match="answers for"):
        rules.result_from_counts(q, 1, {"A1": {1: 1}})


def test_definitions_are_never_changed_by_parsing():
    data = definition()
    before = copy.deepcopy(data)
    rules.parse_definition(data)
    assert data == before
