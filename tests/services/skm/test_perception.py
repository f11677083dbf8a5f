"""Perception surveys: loading questionnaires (shipped or JSON), switching them on, filing one response from
any channel (all or nothing), and results per period from SQL aggregates equal to the rules' arithmetic."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
import sqlalchemy as sa

from tests.factories import make_perception_questionnaire, make_perception_response, make_user
from tests.rules.test_perception import definition
from zi_public.extensions import db
from zi_public.models import (
    AuditEntry,
    Layanan,
    PerceptionAnswer,
    PerceptionItem,
    PerceptionQuestionnaire,
    PerceptionResponse,
    Role,
)
from zi_public.rules import perception as rules
from zi_public.rules.periods import parse_period
from zi_public.rules.skm import Channel
from zi_public.services.skm import perception, perception_results
from zi_public.services.skm.perception import PerceptionInput

ALL_FIVE = {"P1": 5, "P2": 5, "P3": 5, "P4": 5, "P5": 5}


@pytest.fixture
def skm(seeded, db):
    with seeded.test_request_context():  # messages are worded in the request's language
        yield db


def audit_actions() -> list[str]:
    stmt = sa.select(AuditEntry.action).where(AuditEntry.action.like("perception.%")).order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))


def stored() -> tuple[int, int]:
    return (
        db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionResponse)),
        db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionAnswer)),
    )


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, tzinfo=UTC)  # 10.00 WIB


# --- questionnaires ----------------------------------------------------------------------------------


def test_the_shipped_questionnaire_loads_inactive_with_one_row_per_item(skm):
    actor = make_user(role=Role.SKM)
    assert [d.code for d in perception.shipped_not_loaded()] == ["spak"]
    loaded = perception.load_shipped(actor, "spak")
    assert not loaded.is_active and not loaded.is_published
    assert loaded.title == "Survei Persepsi Anti Korupsi (SPAK)" and loaded.title_en.startswith("Anti-Corruption")
    assert [(i.position, i.code) for i in loaded.items] == [(1, "P1"), (2, "P2"), (3, "P3"), (4, "P4"), (5, "P5")]
    assert loaded.definition == perception.shipped_definitions()[0]
    assert perception.shipped_not_loaded() == []
    assert audit_actions() == ["perception.questionnaire_load"]
    assert perception.active_by_code("spak") is None and perception.by_code("spak") is loaded


def test_a_questionnaire_loads_once(skm):
    actor = make_user(role=Role.SKM)
    perception.load_shipped(actor, "spak")
    with pytest.raises(perception.DefinitionRefused) as refused:
        perception.load_shipped(actor, "spak")
    assert [path for path, _message in refused.value.problems] == ["code"]
    with pytest.raises(perception.DefinitionRefused):
        perception.load_json(actor, json.dumps(perception.shipped_definitions()[0].as_data()))
    with pytest.raises(perception.DefinitionRefused):
        perception.load_shipped(actor, "tidak-ada")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionQuestionnaire)) == 1


def test_json_loads_when_it_fits_the_schema(skm):
    loaded = perception.load_json(make_user(role=Role.SKM), json.dumps(definition()))
    assert loaded.code == "uji" and [i.code for i in loaded.items] == ["A1", "A2"]
    assert loaded.definition.items[1].reverse
    assert json.loads(loaded.definition_json) == loaded.definition.as_data()


@pytest.mark.parametrize(
    "text",
    [
        "",
        "{",
        '{"code": "a", "code": "b"}',
        '{"code": NaN}',
        "[1, 2]",
        b"\xff\xfe{}",
        "{" * 100_000,
        json.dumps({**definition(), "pad": "x" * perception.MAX_DEFINITION_BYTES}),
    ],
)
def test_json_that_is_not_a_definition_is_refused_with_a_message(skm, text):
    with pytest.raises(perception.DefinitionRefused) as refused:
        perception.load_json(make_user(role=Role.SKM), text)
    assert refused.value.problems and all(str(message) for _path, message in refused.value.problems)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PerceptionQuestionnaire)) == 0
    assert audit_actions() == []


def test_schema_problems_are_worded_with_their_values(skm):
    bad = definition(title="x" * 201, scale={"min": 1, "max": 40, "labels": []})
    with pytest.raises(perception.DefinitionRefused) as refused:
        perception.load_json(make_user(role=Role.SKM), json.dumps(bad))
    words = {path: str(message) for path, message in refused.value.problems}
    assert words["title"] == "Paling banyak 200 karakter."
    assert words["scale.max"] == "Harus antara 1 dan 10."
    for code in rules_problem_codes():
        assert code in perception.PROBLEM_MESSAGES, code


def rules_problem_codes() -> set[str]:
    import inspect
    import re

    source = inspect.getsource(rules)
    return set(re.findall(r'problem\([^,]+, "([a-z_]+)"', source)) | {"unreadable", "line_break"}


def test_switching_on_and_publishing_are_audited_once_per_change(skm):
    actor = make_user(role=Role.SKM)
    loaded = perception.load_shipped(actor, "spak")
    perception.set_active(actor, loaded, True)
    perception.set_active(actor, loaded, True)  # no change, no entry
    perception.set_published(actor, loaded, True)
    perception.set_published(actor, loaded, False)
    perception.set_active(actor, loaded, False)
    assert audit_actions() == [
        "perception.questionnaire_load",
        "perception.questionnaire_active",
        "perception.questionnaire_publish",
        "perception.questionnaire_publish",
        "perception.questionnaire_active",
    ]
    assert not loaded.is_active and perception.active_questionnaires() == []


# --- one response ------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", list(Channel))
def test_a_response_is_stored_with_its_channel_and_one_answer_per_item(skm, channel):
    spak = make_perception_questionnaire()
    response = perception.file_response(
        spak,
        PerceptionInput({"P1": 6, "P2": "5", "P3": 4, "P4": 3, "P5": 1}, "pbg"),
        channel=channel,
        now=datetime(2026, 3, 31, 18, tzinfo=UTC),  # 01.00 WIB on 1 April
    )
    assert response.channel == channel and response.layanan.code == "pbg"
    assert (response.submitted_on, response.year, response.quarter) == (date(2026, 4, 1), 2026, 2)
    answers = db.session.execute(
        sa.select(PerceptionItem.code, PerceptionAnswer.value)
        .join(PerceptionItem, PerceptionItem.id == PerceptionAnswer.item_id)
        .where(PerceptionAnswer.response_id == response.id)
        .order_by(PerceptionItem.position)
    ).all()
    assert answers == [("P1", 6), ("P2", 5), ("P3", 4), ("P4", 3), ("P5", 1)]
    assert "perception.response" not in " ".join(audit_actions())  # anonymous: no entry per response


def test_the_layanan_is_optional_and_must_be_active(skm):
    spak = make_perception_questionnaire()
    assert make_perception_response(spak).layanan_id is None
    db.session.execute(sa.update(Layanan).where(Layanan.code == "slf").values(is_active=False))
    for code in ("slf", "tidak-ada", 5, " "):
        if code == " ":
            assert perception.check(spak, PerceptionInput(ALL_FIVE, code)).layanan is None
            continue
        with pytest.raises(perception.InvalidPerception) as refused:
            perception.file_response(spak, PerceptionInput(ALL_FIVE, code), channel=Channel.WEB)
        assert set(refused.value.errors) == {"layanan"}


@pytest.mark.parametrize(
    ("answers", "fields"),
    [
        ({}, {"P1", "P2", "P3", "P4", "P5"}),
        ({**ALL_FIVE, "P3": 0}, {"P3"}),
        ({**ALL_FIVE, "P3": 7}, {"P3"}),
        ({**ALL_FIVE, "P1": "lima", "P2": 2.5, "P4": True, "P5": None}, {"P1", "P2", "P4", "P5"}),
        ({**ALL_FIVE, "P2": ""}, {"P2"}),
        ({**ALL_FIVE, "P2": "5" * 10_000}, {"P2"}),
        ([5, 5, 5, 5, 5], {"answers"}),
        ("P1=5", {"answers"}),
    ],
)
def test_a_bad_response_names_every_wrong_field_and_stores_nothing(skm, answers, fields):
    spak = make_perception_questionnaire()
    with pytest.raises(perception.InvalidPerception) as refused:
        perception.file_response(spak, PerceptionInput(answers), channel=Channel.API, submission_key="k" * 20)
    assert set(refused.value.errors) == fields
    assert all(str(message) for message in refused.value.errors.values())
    assert stored() == (0, 0)


def test_strict_checking_refuses_answers_to_items_the_questionnaire_lacks(skm):
    spak = make_perception_questionnaire()
    data = PerceptionInput({**ALL_FIVE, "P6": 5})
    assert perception.check(spak, data).answers == ALL_FIVE
    with pytest.raises(perception.InvalidPerception) as refused:
        perception.file_response(spak, data, channel=Channel.API, strict=True)
    assert set(refused.value.errors) == {"P6"} and stored() == (0, 0)


def test_a_resent_form_files_nothing_twice(skm):
    spak = make_perception_questionnaire()
    first = perception.file_response(spak, PerceptionInput(ALL_FIVE), channel=Channel.WEB, submission_key="a" * 24)
    with pytest.raises(perception.DuplicateSubmission) as again:
        perception.file_response(spak, PerceptionInput({}), channel=Channel.WEB, submission_key="a" * 24)
    assert again.value.existing.id == first.id and stored() == (1, 5)


# --- results -----------------------------------------------------------------------------------------

Q1, Q2, S1, YEAR = (parse_period(code) for code in ("2026-Q1", "2026-Q2", "2026-S1", "2026"))


def test_no_responses_no_result(skm):
    spak = make_perception_questionnaire()
    shown = perception_results.result(spak, Q1)
    assert shown.result is None and shown.by_channel == {}
    assert perception_results.latest_quarter(spak, date(2026, 12, 1)) is None


def test_results_are_the_rules_arithmetic_over_the_stored_answers(skm):
    spak = make_perception_questionnaire()
    given = [
        ({"P1": 6, "P2": 5, "P3": 6, "P4": 4, "P5": 6}, Channel.WEB, date(2026, 1, 5)),
        ({"P1": 1, "P2": 2, "P3": 3, "P4": 4, "P5": 5}, Channel.KIOSK, date(2026, 2, 10)),
        ({"P1": 6, "P2": 6, "P3": 6, "P4": 6, "P5": 6}, Channel.PAPER, date(2026, 3, 31)),
        ({"P1": 2, "P2": 2, "P3": 2, "P4": 2, "P5": 3}, Channel.API, date(2026, 4, 1)),
    ]
    for answers, channel, day in given:
        make_perception_response(spak, answers, channel=channel, now=at(day))
    q1 = perception_results.result(spak, Q1)
    expected = rules.result_from_answers(spak.definition, [answers for answers, _c, day in given if day.month <= 3])
    assert q1.result == expected and q1.result.respondents == 3
    assert q1.result.index == Decimal("4.80")  # 72 / 15
    assert q1.by_channel == {Channel.WEB: 1, Channel.KIOSK: 1, Channel.PAPER: 1}
    # A semester and a year pool every response of the period (never an average of quarters).
    s1 = perception_results.result(spak, S1)
    assert s1.result == rules.result_from_answers(spak.definition, [answers for answers, _c, _d in given])
    assert s1.result.index == Decimal("4.15")  # 83 / 20
    assert perception_results.result(spak, YEAR).result == s1.result
    # Cut off at a date: the March report made in March.
    march = perception_results.result(spak, Q1, as_of=date(2026, 3, 30))
    assert march.result.respondents == 2 and march.as_of == date(2026, 3, 30)
    assert perception_results.latest_quarter(spak, date(2026, 12, 1)) == Q2
    assert perception_results.latest_quarter(spak, date(2026, 3, 31)) == Q1


def test_results_per_layanan_and_per_questionnaire_stay_apart(skm):
    spak = make_perception_questionnaire()
    other = make_perception_questionnaire(definition())
    make_perception_response(spak, {"P1": 1}, now=at(date(2026, 2, 1)), layanan="pbg")
    make_perception_response(spak, {"P1": 6}, now=at(date(2026, 2, 1)), layanan="slf")
    make_perception_response(other, {"A1": 4, "A2": 1}, now=at(date(2026, 2, 1)))
    pbg = db.session.scalar(sa.select(Layanan).where(Layanan.code == "pbg"))
    only_pbg = perception_results.result(spak, Q1, layanan=pbg)
    assert only_pbg.result.respondents == 1 and only_pbg.result.item("P1").counts[1] == 1
    assert perception_results.result(spak, Q1).result.respondents == 2
    reversed_one = perception_results.result(other, Q1).result
    assert reversed_one.item("A2").score_sum == 4 and reversed_one.index == Decimal("4.00")


def test_results_are_two_aggregate_queries_whatever_the_number_of_responses(skm):
    spak = make_perception_questionnaire()
    for _ in range(30):
        make_perception_response(spak, now=at(date(2026, 2, 1)))
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ARG001
        seen.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        shown = perception_results.result(spak, Q1)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert shown.result.respondents == 30 and shown.result.index == Decimal("5.00")
    assert len([s for s in seen if "GROUP BY" in s]) == 2 and len(seen) <= 3


def test_the_quarter_list_runs_back_from_today():
    quarters = perception_results.quarter_list(date(2026, 2, 1), 3)
    assert [q.code for q in quarters] == ["2026-Q1", "2025-Q4", "2025-Q3"]
    # never before the first year a period can have (make_period would refuse it: the page would fail)
    assert [q.code for q in perception_results.quarter_list(date(2000, 5, 1))] == ["2000-Q2", "2000-Q1"]
