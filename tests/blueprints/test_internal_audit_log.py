"""The admin's audit-log page: filters, Jakarta-day boundaries, keyset paging, access, bad input."""

from __future__ import annotations

import html
import re
from datetime import datetime
from unittest.mock import patch

import pytest

from zi_public.extensions import db
from zi_public.models import Role
from zi_public.services import audit

URL = "/internal/audit"


@pytest.fixture
def app_config() -> dict[str, object]:
    return {"PAGE_SIZE": 3}


def add_entry(app, actor: str, action: str, at: datetime | None = None, **kwargs) -> int:  # noqa: ANN001
    """Record one entry, optionally as if written at `at` (naive UTC)."""
    with app.app_context():
        if at is None:
            entry = audit.record(actor, action, **kwargs)
        else:
            with patch.object(audit, "utcnow", return_value=at):
                entry = audit.record(actor, action, **kwargs)
        db.session.commit()
        return entry.id


def shown_ids(response) -> list[int]:  # noqa: ANN001
    assert response.status_code == 200
    return [int(i) for i in re.findall(r'<tr id="entry-(\d+)"', response.get_data(as_text=True))]


def test_admin_sees_entries_newest_first_with_details(app, client, login_as):
    login_as(Role.ADMIN)
    older = add_entry(
        app, "budi", "setting.change", target_type="setting", target_id="require_totp",
        data={"from": False, "to": True},
    )
    newer = add_entry(app, "siti", "test.note", at=datetime(2026, 11, 27, 18, 0), data={"k": 1})
    response = client.get(URL)
    assert shown_ids(response)[:2] == [newer, older]
    page = html.unescape(response.get_data(as_text=True))
    assert "setting #require_totp" in page
    assert '<code>{"from":false,"to":true}</code>' in page
    assert "28 Nov 2026 01.00 WIB" in page  # 18:00 UTC shown in Jakarta time


def test_entry_data_is_escaped(app, client, login_as):
    login_as(Role.ADMIN)
    add_entry(app, "budi", "test.xss", data={"note": "<script>alert(1)</script>"})
    page = client.get(URL).get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)" in page


def test_filter_by_actor_is_exact_and_case_insensitive(app, client, login_as):
    login_as(Role.ADMIN)
    budi = add_entry(app, "budi", "test.a")
    add_entry(app, "budiman", "test.a")
    add_entry(app, "siti", "test.a")
    assert shown_ids(client.get(URL, query_string={"actor": " BUDI "})) == [budi]
    page = client.get(URL, query_string={"actor": "nobody"}).get_data(as_text=True)
    assert "Tidak ada entri log yang cocok dengan filter ini." in page


def test_filter_by_exact_action_or_prefix(app, client, login_as):
    login_as(Role.ADMIN)  # leaves user.create and user.login entries
    alpha = add_entry(app, "budi", "test.alpha")
    beta = add_entry(app, "budi", "test.beta")
    other = add_entry(app, "budi", "other.alpha")
    assert shown_ids(client.get(URL, query_string={"action": "test.alpha"})) == [alpha]
    assert shown_ids(client.get(URL, query_string={"action": "test."})) == [beta, alpha]
    assert shown_ids(client.get(URL, query_string={"action": "other."})) == [other]
    page = client.get(URL).get_data(as_text=True)
    assert '<option value="user.login">' in page and '<option value="test.">' in page


def test_date_range_uses_whole_jakarta_days(app, client, login_as):
    login_as(Role.ADMIN)
    # Stored naive UTC; Jakarta is UTC+7.
    utc_times = {
        "26_last": datetime(2026, 11, 26, 16, 59, 59),  # 26 Nov 23:59:59 WIB
        "27_first": datetime(2026, 11, 26, 17, 0, 0),  # 27 Nov 00:00 WIB
        "27_last": datetime(2026, 11, 27, 16, 59, 59, 999999),  # 27 Nov 23:59:59.999999 WIB
        "28_early": datetime(2026, 11, 27, 18, 0),  # 28 Nov 01:00 WIB
    }
    ids = {name: add_entry(app, "x", f"day.{name}", at=at) for name, at in utc_times.items()}

    def shown(**query: str) -> set[str]:
        found = set(shown_ids(client.get(URL, query_string={"action": "day.", **query})))
        return {name for name, entry_id in ids.items() if entry_id in found}

    assert shown(date_from="2026-11-27", date_to="2026-11-27") == {"27_first", "27_last"}
    assert shown(date_to="2026-11-27") == {"26_last", "27_first", "27_last"}
    assert shown(date_from="2026-11-28") == {"28_early"}
    assert shown(date_from="2026-11-28", date_to="2026-11-28") == {"28_early"}
    assert shown(date_to="2026-11-26") == {"26_last"}


def test_paging_next_and_prev_keep_the_filters(app, client, login_as):
    login_as(Role.ADMIN)
    ids = [add_entry(app, "budi", f"page.{i}") for i in range(7)]
    add_entry(app, "budi", "noise.x")  # newest, but filtered out
    newest_first = list(reversed(ids))

    first = client.get(URL, query_string={"action": "page."})
    assert shown_ids(first) == newest_first[:3]
    assert 'rel="prev"' not in first.get_data(as_text=True)
    second = client.get(link(first, "next"))
    assert shown_ids(second) == newest_first[3:6]
    third = client.get(link(second, "next"))
    assert shown_ids(third) == newest_first[6:]
    assert 'rel="next"' not in third.get_data(as_text=True)
    assert shown_ids(client.get(link(third, "prev"))) == newest_first[3:6]
    assert shown_ids(client.get(link(second, "prev"))) == newest_first[:3]


def link(response, rel: str) -> str:  # noqa: ANN001
    match = re.search(rf'<a rel="{rel}" href="([^"]+)"', response.get_data(as_text=True))
    assert match, f"no {rel} link"
    href = html.unescape(match.group(1))
    assert "action=page." in href  # the filter travels with the cursor
    return href


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN])
def test_other_roles_are_refused(client, login_as, role):
    login_as(role)
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "kemarin"}, "Tanggal tidak valid"),
        ({"date_from": "2026-02-30"}, "Tanggal tidak valid"),
        ({"date_to": "0001-01-01"}, "Tanggal tidak valid"),
        ({"date_to": "9999-12-31"}, "Tanggal tidak valid"),
        ({"date_from": "２０２６-11-27"}, "Tanggal tidak valid"),
        ({"date_from": "2026-11-27" * 500}, "Tanggal tidak valid"),
        ({"date_from": "2026-11-28", "date_to": "2026-11-27"}, "Tanggal akhir tidak boleh sebelum"),
        ({"actor": "b" * 5000}, "Nama pengguna terlalu panjang."),
        ({"actor": "bu di"}, "Nama pengguna hanya berisi huruf"),
        ({"actor": "budi<b>"}, "Nama pengguna hanya berisi huruf"),
        ({"actor": "' OR 1=1 --"}, "Nama pengguna hanya berisi huruf"),
        ({"action": "a" * 5000}, "Pilih tindakan dari daftar."),
        ({"action": "user.%"}, "Pilih tindakan dari daftar."),
        ({"action": "nope.never"}, "Pilih tindakan dari daftar."),
    ],
)
def test_bad_filters_show_a_clear_message_and_no_rows(app, client, login_as, query, message):
    login_as(Role.ADMIN)
    add_entry(app, "budi", "test.a")
    response = client.get(URL, query_string=query)
    assert shown_ids(response) == []
    page = html.unescape(response.get_data(as_text=True))
    assert message in page
    assert "Perbaiki filter di atas untuk menampilkan log." in page


@pytest.mark.parametrize("cursor", ["²", "-1", "1e3", "9" * 40, "", "abc"])
@pytest.mark.parametrize("key", ["before", "after"])
def test_malformed_cursor_is_ignored(app, client, login_as, key, cursor):
    login_as(Role.ADMIN)
    newest = add_entry(app, "budi", "test.a")
    ids = shown_ids(client.get(URL, query_string={key: cursor}))
    assert ids[0] == newest
