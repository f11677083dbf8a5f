"""Ids and paging cursors out of the database's range are "not found" or ignored, never a 500.

Every id column is a 32-bit INTEGER on PostgreSQL, and SQLite's driver cannot bind an int above 2**63 - 1:
a hand-typed `/internal/pengaduan/2147483648` or `?before=999999999999999999` used to end in a database
error. The routes and cursors are discovered from the app's URL map, so a new page is covered the day it
is added.
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter, Rule

from tests.factories import TEST_PASSWORD, make_user
from zi_public.extensions import db
from zi_public.ids import MAX_ID, IdConverter, parse_id
from zi_public.models import Role
from zi_public.paging import parse_cursor

OUT_OF_RANGE = ["0", str(MAX_ID + 1), "999999999999999999", "99999999999999999999", "9" * 5000]
CURSORS = [*OUT_OF_RANGE[:4], str(MAX_ID), "-1", "²", "٣"]


def int_rules(app) -> list[Rule]:
    return [
        rule
        for rule in app.url_map.iter_rules()
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values())
    ]


def list_pages(app) -> list[str]:
    """Every internal GET page without URL arguments: the lists that page with ?before= / ?after=."""
    return [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("internal.") and "GET" in rule.methods and not rule.arguments
    ]


#: A valid value of each plain string argument beside an id (a period of the monev's pages).
STRING_ARGUMENTS = {"period": "2026-S2"}


def url_with(rule: Rule, value: str) -> str:
    """The rule's path with every id argument set to `value` (any(...) arguments: their first choice; plain
    string arguments: their value in STRING_ARGUMENTS)."""
    path = rule.rule
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            replacement, spelled = value, _spelled(rule, name)
        elif hasattr(converter, "items"):
            replacement, spelled = sorted(converter.items)[0], _spelled(rule, name)
        else:
            replacement, spelled = STRING_ARGUMENTS[name], name  # a new string argument: add its value above
        path = path.replace(f"<{spelled}>", replacement)
    return path


def _spelled(rule: Rule, name: str) -> str:
    start = rule.rule.index(f":{name}>")
    return rule.rule[rule.rule.rindex("<", 0, start) + 1 : start] + f":{name}"


def signed_in_clients(app) -> dict[str, object]:
    """One client per role, plus one nobody signed in."""
    with app.app_context():
        for role in Role:
            make_user(role=role, username=f"id-{role.value}")
        db.session.commit()
    clients = {"anonymous": app.test_client()}
    for role in Role:
        client = app.test_client()
        response = client.post("/auth/login", data={"username": f"id-{role.value}", "password": TEST_PASSWORD})
        assert response.status_code == 302, role
        clients[role.value] = client
    return clients


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", 1),
        (str(MAX_ID), MAX_ID),
        (MAX_ID, MAX_ID),
        ("0", None),
        (0, None),
        (MAX_ID + 1, None),
        (str(MAX_ID + 1), None),
        ("00000000001", None),  # longer than any id is written
        ("9" * 5000, None),
        ("-1", None),
        ("²", None),
        ("٣", None),
        ("", None),
        (None, None),
        (True, None),
        ("1e3", None),
    ],
)
def test_parse_id_accepts_exactly_the_ids_a_table_can_hold(value, expected):
    assert parse_id(value) == expected
    if isinstance(value, str) or value is None:
        assert parse_cursor(value) == expected


def test_every_int_route_uses_the_bounded_converter(app):
    rules = int_rules(app)
    assert len(rules) >= 10, "the URL map should have the staff pages' id routes"
    for rule in rules:
        for name, converter in rule._converters.items():
            if isinstance(converter, IntegerConverter):
                assert isinstance(converter, IdConverter), f"{rule.rule}: {name}"
                assert converter.min == 1 and converter.max == MAX_ID, rule.rule


@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_out_of_range_ids_are_not_found_for_everyone(app, value):
    clients = signed_in_clients(app)
    for rule in int_rules(app):
        url = url_with(rule, value)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who, client in clients.items():
                status = client.open(url, method=method).status_code
                assert status == 404, f"{who} got {status} at {method} {url[:80]}"


def test_the_largest_id_reaches_the_database_and_is_not_found(app):
    clients = signed_in_clients(app)
    for rule in int_rules(app):
        url = url_with(rule, str(MAX_ID))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who, client in clients.items():
                status = client.open(url, method=method).status_code
                assert status < 500, f"{who} got {status} at {method} {url}"


@pytest.mark.parametrize("key", ["before", "after"])
def test_cursors_out_of_range_never_fail_a_list(app, key):
    clients = signed_in_clients(app)
    pages = list_pages(app)
    assert {"/internal/pengaduan", "/internal/audit", "/internal/akun"} <= set(pages)
    for page in pages:
        for cursor in CURSORS:
            for who, client in clients.items():
                status = client.get(page, query_string={key: cursor}).status_code
                assert status < 500, f"{who} got {status} at {page}?{key}={cursor}"
