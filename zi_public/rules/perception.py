"""Perception surveys (issue 9, point 11): questionnaires defined as data, and their index.

The Zona Integritas evaluation (PermenPANRB 90/2021) scores a corruption-perception survey and a
service-quality-perception survey beside the SKM. Their items, answer scale and index formula vary by
office and year, so a questionnaire is data (zi_public/data/perception_questionnaires.json, or JSON the
Tim SKM pastes), checked here against one schema:

    code       "spak": lower-case letters, digits, dashes (the URL and API use it)
    title      {"id": ..., "en": ...} (a plain string: Indonesian only; so for every text below)
    intro      optional, shown above the items
    source     {"name": the regulation or published guide, "urls": [...], "note": what was not verified}
    scale      {"min": 1, "max": 6, "labels": one text per point, lowest first}; 0 <= min < max <= 10
    items      [{"code": "P1", "text": ..., "hint"?: ..., "reverse"?: false, "note"?: ...}], 1-50 of them
    index      {"formula": one of FORMULAS, "places": 0-4 (default 2), "to": for the scaled formulas}
    bands      optional grades [{"min": "3.60", "code": "baik", "label": ...}], highest first

Every item is required. A reverse-scored item counts (min + max - answer), so that for every item a
higher score is the better perception. The index is computed exactly (fractions) from the score counts
and rounded half-up only at the end, as the IKM is (rules/ikm.py):

    mean             the mean score of all answers, on the scale (e.g. 5.42 of 6)
    mean_scaled      that mean x to / max (1-4 x 25 gives the IKM's 25-100)
    mean_normalised  (mean - min) / (max - min) x to (the scale's lowest point is 0, its highest `to`)

Pure: plain values in, plain values out (problems are codes; services/skm/perception.py words them).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from zi_public.rules.ikm import round_half_up
from zi_public.rules.text import has_visible_content, text_problem

FORMULAS = ("mean", "mean_scaled", "mean_normalised")
CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
ITEM_CODE_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,15}")
BAND_CODE_PATTERN = re.compile(r"[a-z0-9_-]{1,20}")
URL_PATTERN = re.compile(r"https?://[^\s<>\"']{1,490}")
SCALE_LOWEST, SCALE_HIGHEST = 0, 10
MAX_ITEMS, MAX_URLS, MAX_BANDS, MAX_PLACES, MAX_TO = 50, 5, 10, 4, 1000
DEFAULT_PLACES = 2
#: Longest text per kind (characters); single-line kinds refuse line breaks.
LIMITS = {"title": 200, "label": 60, "item": 500, "intro": 1000, "hint": 500, "source": 1000, "note": 2000}
MULTILINE = frozenset({"intro", "hint", "source", "note"})


@dataclass(frozen=True)
class Text:
    """A text in Indonesian and (optionally) English."""

    id: str
    en: str = ""

    def get(self, locale: str | None) -> str:
        """The English text in the English UI when there is one, else the Indonesian."""
        return self.en if str(locale or "").startswith("en") and self.en else self.id

    def as_data(self) -> dict[str, str]:
        return {"id": self.id, "en": self.en} if self.en else {"id": self.id}


@dataclass(frozen=True)
class Scale:
    min: int
    max: int
    labels: tuple[Text, ...]

    @property
    def points(self) -> range:
        return range(self.min, self.max + 1)

    def label(self, value: int) -> Text:
        return self.labels[value - self.min]


@dataclass(frozen=True)
class Item:
    code: str
    text: Text
    hint: Text | None = None
    reverse: bool = False
    note: str = ""


@dataclass(frozen=True)
class IndexFormula:
    formula: str
    places: int = DEFAULT_PLACES
    to: int | None = None


@dataclass(frozen=True)
class Band:
    lowest: Decimal
    code: str
    label: Text


@dataclass(frozen=True)
class Source:
    name: str
    urls: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Questionnaire:
    """One checked questionnaire definition."""

    code: str
    title: Text
    source: Source
    scale: Scale
    items: tuple[Item, ...]
    index: IndexFormula
    intro: Text | None = None
    bands: tuple[Band, ...] = ()

    def item(self, code: str) -> Item | None:
        return next((item for item in self.items if item.code == code), None)

    def index_range(self) -> tuple[Fraction, Fraction]:
        """The lowest and highest index the formula can give."""
        return index_of(Fraction(self.scale.min), self), index_of(Fraction(self.scale.max), self)

    def as_data(self) -> dict[str, object]:
        """The definition as JSON data (what is stored); parse_definition(as_data()) gives it back."""
        items = []
        for item in self.items:
            data: dict[str, object] = {"code": item.code, "text": item.text.as_data()}
            if item.hint is not None:
                data["hint"] = item.hint.as_data()
            if item.reverse:
                data["reverse"] = True
            if item.note:
                data["note"] = item.note
            items.append(data)
        index: dict[str, object] = {"formula": self.index.formula, "places": self.index.places}
        if self.index.to is not None:
            index["to"] = self.index.to
        result: dict[str, object] = {
            "code": self.code,
            "title": self.title.as_data(),
            "source": {"name": self.source.name, "urls": list(self.source.urls), "note": self.source.note},
            "scale": {
                "min": self.scale.min,
                "max": self.scale.max,
                "labels": [label.as_data() for label in self.scale.labels],
            },
            "items": items,
            "index": index,
        }
        if self.intro is not None:
            result["intro"] = self.intro.as_data()
        if self.bands:
            result["bands"] = [
                {"min": str(band.lowest), "code": band.code, "label": band.label.as_data()} for band in self.bands
            ]
        return result


@dataclass(frozen=True)
class Problem:
    """One problem of a definition: where (a path such as "items[2].text"), what (a code), and values for
    the message (e.g. {"max": 200})."""

    path: str
    code: str
    params: Mapping[str, object] = field(default_factory=dict)


class DefinitionError(ValueError):
    """The definition does not fit the schema; `problems` lists every problem found."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in problems))
        self.problems = list(problems)


class _Reader:
    """Collects problems while reading one definition."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, code: str, **params: object) -> None:
        self.problems.append(Problem(path, code, params))

    def obj(self, value: object, path: str, allowed: set[str], required: set[str] = frozenset()) -> dict | None:
        if not isinstance(value, dict):
            self.problem(path, "type_object")
            return None
        for key in value:
            if not isinstance(key, str) or (key not in allowed and not key.startswith("_")):
                self.problem(_join(path, str(key)[:40]), "unknown_key")
        for key in sorted(required):
            if value.get(key) is None:
                self.problem(_join(path, key), "required")
        return value

    def string(self, value: object, path: str, kind: str, *, required: bool = True) -> str | None:
        if value is None or value == "":
            if required:
                self.problem(path, "required")
            return None
        if not isinstance(value, str):
            self.problem(path, "type_text")
            return None
        if len(value) > LIMITS[kind]:
            self.problem(path, "too_long", max=LIMITS[kind])
            return None
        problem = text_problem(value, multiline=kind in MULTILINE)
        if problem is not None:
            self.problem(path, problem.value)
            return None
        if not has_visible_content(value):
            if required:
                self.problem(path, "required")
            return None
        return value.strip()

    def text(self, value: object, path: str, kind: str, *, required: bool = True) -> Text | None:
        if isinstance(value, str) or value is None:
            text = self.string(value, path, kind, required=required)
            return Text(text) if text is not None else None
        if not isinstance(value, dict):
            self.problem(path, "type_text")
            return None
        data = self.obj(value, path, {"id", "en"}, {"id"})
        if data is None:
            return None
        indonesian = self.string(data.get("id"), _join(path, "id"), kind, required=True)
        english = self.string(data.get("en"), _join(path, "en"), kind, required=False)
        return Text(indonesian, english or "") if indonesian is not None else None

    def integer(self, value: object, path: str, low: int, high: int) -> int | None:
        if value is None:
            self.problem(path, "required")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, "type_int")
            return None
        if not low <= value <= high:
            self.problem(path, "range", low=low, high=high)
            return None
        return value

    def array(self, value: object, path: str, low: int, high: int) -> list | None:
        if not isinstance(value, list):
            self.problem(path, "type_list")
            return None
        if not low <= len(value) <= high:
            self.problem(path, "count", low=low, high=high)
            return None
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def parse_definition(data: object) -> Questionnaire:
    """The questionnaire `data` defines, or DefinitionError listing every problem."""
    reader = _Reader()
    top = reader.obj(
        data,
        "",
        {"code", "title", "intro", "source", "scale", "items", "index", "bands"},
        {"code", "title", "source", "scale", "items", "index"},
    )
    if top is None:
        raise DefinitionError(reader.problems)
    code = top.get("code")
    if code is not None and (not isinstance(code, str) or not CODE_PATTERN.fullmatch(code)):
        reader.problem("code", "pattern")
        code = None
    title = reader.text(top.get("title"), "title", "title") if top.get("title") is not None else None
    intro = reader.text(top.get("intro"), "intro", "intro", required=False) if top.get("intro") is not None else None
    source = _source(reader, top.get("source")) if top.get("source") is not None else None
    scale = _scale(reader, top.get("scale")) if top.get("scale") is not None else None
    items = _items(reader, top.get("items"), scale) if top.get("items") is not None else None
    index = _index(reader, top.get("index")) if top.get("index") is not None else None
    bands: tuple[Band, ...] = ()
    if top.get("bands") is not None and scale is not None and index is not None:
        bands = _bands(reader, top["bands"], scale, index)
    if reader.problems or None in (code, title, source, scale, items, index):
        raise DefinitionError(reader.problems or [Problem("", "required")])
    return Questionnaire(code, title, source, scale, items, index, intro, bands)  # type: ignore[arg-type]


def _source(reader: _Reader, value: object) -> Source | None:
    if isinstance(value, str):
        name = reader.string(value, "source", "source")
        return Source(name) if name else None
    data = reader.obj(value, "source", {"name", "urls", "note"}, {"name"})
    if data is None:
        return None
    name = reader.string(data.get("name"), "source.name", "source")
    note = reader.string(data.get("note"), "source.note", "note", required=False) or ""
    urls: list[str] = []
    raw_urls = data.get("urls") or []
    if reader.array(raw_urls, "source.urls", 0, MAX_URLS) is not None:
        for position, url in enumerate(raw_urls):
            if not isinstance(url, str) or not URL_PATTERN.fullmatch(url):
                reader.problem(f"source.urls[{position}]", "url")
            else:
                urls.append(url)
    return Source(name, tuple(urls), note) if name else None


def _scale(reader: _Reader, value: object) -> Scale | None:
    data = reader.obj(value, "scale", {"min", "max", "labels"}, {"min", "max", "labels"})
    if data is None:
        return None
    low = reader.integer(data.get("min"), "scale.min", SCALE_LOWEST, SCALE_HIGHEST - 1)
    high = reader.integer(data.get("max"), "scale.max", SCALE_LOWEST + 1, SCALE_HIGHEST)
    if low is None or high is None:
        return None
    if high <= low:
        reader.problem("scale.max", "above_min")
        return None
    raw = reader.array(data.get("labels"), "scale.labels", high - low + 1, high - low + 1)
    if raw is None:
        return None
    labels = [reader.text(label, f"scale.labels[{i}]", "label") for i, label in enumerate(raw)]
    if None in labels:
        return None
    return Scale(low, high, tuple(labels))  # type: ignore[arg-type]


def _items(reader: _Reader, value: object, scale: Scale | None) -> tuple[Item, ...] | None:
    raw = reader.array(value, "items", 1, MAX_ITEMS)
    if raw is None:
        return None
    items: list[Item] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw):
        path = f"items[{position}]"
        data = reader.obj(entry, path, {"code", "text", "hint", "reverse", "note"}, {"code", "text"})
        if data is None:
            continue
        code = data.get("code")
        if code is not None and (not isinstance(code, str) or not ITEM_CODE_PATTERN.fullmatch(code)):
            reader.problem(f"{path}.code", "item_pattern")
            code = None
        elif isinstance(code, str) and code.casefold() in seen:
            reader.problem(f"{path}.code", "duplicate")
            code = None
        text = reader.text(data.get("text"), f"{path}.text", "item") if data.get("text") is not None else None
        hint = reader.text(data["hint"], f"{path}.hint", "hint", required=False) if data.get("hint") else None
        note = reader.string(data.get("note"), f"{path}.note", "note", required=False) or ""
        reverse = data.get("reverse", False)
        if not isinstance(reverse, bool):
            reader.problem(f"{path}.reverse", "type_bool")
            reverse = False
        if code is not None and text is not None:
            seen.add(code.casefold())
            items.append(Item(code, text, hint, reverse, note))
    return tuple(items) if len(items) == len(raw) else None


def _index(reader: _Reader, value: object) -> IndexFormula | None:
    data = reader.obj(value, "index", {"formula", "places", "to"}, {"formula"})
    if data is None:
        return None
    formula = data.get("formula")
    if formula not in FORMULAS:
        reader.problem("index.formula", "formula", choices=", ".join(FORMULAS))
        return None
    places = DEFAULT_PLACES
    if data.get("places") is not None:
        places = reader.integer(data["places"], "index.places", 0, MAX_PLACES)
    to = None
    if formula == "mean":
        if data.get("to") is not None:
            reader.problem("index.to", "not_for_mean")
    else:
        to = reader.integer(data.get("to"), "index.to", 1, MAX_TO)
        if to is None:
            return None
    return IndexFormula(formula, places, to) if places is not None else None


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, int | str):
            number = Decimal(str(value).strip())
        elif isinstance(value, float):
            number = Decimal(repr(value))
        else:
            return None
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _bands(reader: _Reader, value: object, scale: Scale, index: IndexFormula) -> tuple[Band, ...]:
    raw = reader.array(value, "bands", 1, MAX_BANDS)
    if raw is None:
        return ()
    high = index_of(Fraction(scale.max), _Shape(scale, index))
    bands: list[Band] = []
    codes: set[str] = set()
    for position, entry in enumerate(raw):
        path = f"bands[{position}]"
        data = reader.obj(entry, path, {"min", "code", "label"}, {"min", "code", "label"})
        if data is None:
            continue
        lowest = _decimal(data.get("min"))
        if lowest is None:
            reader.problem(f"{path}.min", "type_number")
        elif -lowest.as_tuple().exponent > index.places:  # type: ignore[operator]
            reader.problem(f"{path}.min", "places", places=index.places)
            lowest = None
        elif not Fraction(lowest) <= high:
            reader.problem(f"{path}.min", "band_range", high=str(round_half_up(high, index.places)))
            lowest = None
        elif bands and lowest >= bands[-1].lowest:
            reader.problem(f"{path}.min", "order")
            lowest = None
        code = data.get("code")
        if not isinstance(code, str) or not BAND_CODE_PATTERN.fullmatch(code) or code in codes:
            reader.problem(f"{path}.code", "band_code")
            code = None
        label = reader.text(data.get("label"), f"{path}.label", "label") if data.get("label") is not None else None
        if lowest is not None and code is not None and label is not None:
            codes.add(code)
            bands.append(Band(lowest, code, label))
    return tuple(bands)


@dataclass(frozen=True)
class _Shape:
    """What index_of needs, before the whole questionnaire exists."""

    scale: Scale
    index: IndexFormula


# --- answers -----------------------------------------------------------------------------------------


def parse_value(value: object, scale: Scale) -> int | None:
    """An answer on `scale` from an int or its digits as text; None for anything else (bool, 2.5, "tiga")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 2:
            return None
        value = int(text)
    if isinstance(value, int) and scale.min <= value <= scale.max:
        return value
    return None


#: How many unknown answer keys an error lists (a body of 10,000 junk keys gets a short answer).
MAX_UNKNOWN_LISTED = 20


def parse_answers(
    questionnaire: Questionnaire, raw: Mapping[str, object], *, strict: bool = False
) -> tuple[dict[str, int] | None, dict[str, str]]:
    """Every item's answer by item code, or the problem per key: "missing", "invalid", and with `strict`
    "unknown" for a key that is no item of this questionnaire."""
    errors: dict[str, str] = {}
    answers: dict[str, int] = {}
    for item in questionnaire.items:
        value = raw.get(item.code)
        if value is None or value == "":
            errors[item.code] = "missing"
            continue
        answer = parse_value(value, questionnaire.scale)
        if answer is None:
            errors[item.code] = "invalid"
        else:
            answers[item.code] = answer
    if strict:
        known = {item.code for item in questionnaire.items}
        for key in [k for k in raw if k not in known][:MAX_UNKNOWN_LISTED]:
            errors[str(key)[:40]] = "unknown"
    return (None, errors) if errors else (answers, {})


def score(answer: int, item: Item, scale: Scale) -> int:
    """The answer as counted: reversed for a reverse-scored item, so that higher is better for every item."""
    return scale.min + scale.max - answer if item.reverse else answer


# --- results -----------------------------------------------------------------------------------------


def index_of(mean: Fraction, questionnaire: Questionnaire | _Shape) -> Fraction:
    """The exact index of a mean score under the questionnaire's formula."""
    scale, index = questionnaire.scale, questionnaire.index
    if index.formula == "mean":
        return mean
    if index.formula == "mean_scaled":
        return mean * index.to / scale.max  # type: ignore[operator]
    if index.formula == "mean_normalised":
        return (mean - scale.min) * index.to / (scale.max - scale.min)  # type: ignore[operator]
    raise ValueError(f"unknown formula {index.formula!r}")


def band_of(value: Decimal, questionnaire: Questionnaire) -> Band | None:
    """The first band whose lowest value `value` (already rounded) reaches; None without bands or below all."""
    return next((band for band in questionnaire.bands if value >= band.lowest), None)


@dataclass(frozen=True)
class ItemResult:
    code: str
    respondents: int
    counts: dict[int, int]  # answers as given (before reversing), per point of the scale
    score_sum: int  # after reversing
    mean: Fraction  # the mean score, exact

    def mean_rounded(self, places: int = 3) -> Decimal:
        return round_half_up(self.mean, places)


@dataclass(frozen=True)
class PerceptionResult:
    respondents: int
    items: tuple[ItemResult, ...]
    mean: Fraction  # the mean score of all answers, exact
    index_exact: Fraction
    index: Decimal  # rounded half-up to the formula's places
    band: Band | None

    def item(self, code: str) -> ItemResult:
        return next(result for result in self.items if result.code == code)


def result_from_counts(
    questionnaire: Questionnaire, respondents: int, counts: Mapping[str, Mapping[int, int]]
) -> PerceptionResult | None:
    """The result of `respondents` responses whose answers to each item (by code) are counted per point of
    the scale (`counts[code][answer]`). None when there are no responses. ValueError for counts that no set
    of complete responses can give (an answer off the scale, an item answered more or less often)."""
    if respondents <= 0:
        return None
    scale = questionnaire.scale
    results: list[ItemResult] = []
    total = 0
    for item in questionnaire.items:
        item_counts = {int(answer): int(n) for answer, n in (counts.get(item.code) or {}).items() if n}
        if any(answer not in scale.points or n < 0 for answer, n in item_counts.items()):
            raise ValueError(f"{item.code}: an answer off the scale {scale.min}-{scale.max}")
        if sum(item_counts.values()) != respondents:
            raise ValueError(f"{item.code}: {sum(item_counts.values())} answers for {respondents} responses")
        score_sum = sum(score(answer, item, scale) * n for answer, n in item_counts.items())
        total += score_sum
        full = {point: item_counts.get(point, 0) for point in scale.points}
        results.append(ItemResult(item.code, respondents, full, score_sum, Fraction(score_sum, respondents)))
    mean = Fraction(total, respondents * len(questionnaire.items))
    exact = index_of(mean, questionnaire)
    rounded = round_half_up(exact, questionnaire.index.places)  # never negative: every formula starts at >= 0
    return PerceptionResult(respondents, tuple(results), mean, exact, rounded, band_of(rounded, questionnaire))


def result_from_answers(
    questionnaire: Questionnaire, responses: Sequence[Mapping[str, int]]
) -> PerceptionResult | None:
    """The result of a list of complete responses (each: answer by item code), for tests and small sets."""
    counts: dict[str, dict[int, int]] = {item.code: {} for item in questionnaire.items}
    for response in responses:
        for item in questionnaire.items:
            answer = response[item.code]
            counts[item.code][answer] = counts[item.code].get(answer, 0) + 1
    return result_from_counts(questionnaire, len(responses), counts)
