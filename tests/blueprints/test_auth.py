"""Staff sign-in: passwords, back-off and lockout, TOTP, password change, redirects, sign-out."""

from __future__ import annotations

import json
import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from tests.factories import TEST_PASSWORD, make_user
from zi_public.config import DefaultConfig
from zi_public.extensions import db
from zi_public.i18n import LANG_COOKIE
from zi_public.models import AuditEntry, LoginThrottle, OutboxMail, Role, User
from zi_public.models.base import utcnow
from zi_public.security.passwords import password_rules
from zi_public.services import account_links
from zi_public.services.settings import set_setting

NEW_PASSWORD = "a brand new passphrase 42"
PRODUCTION_HASH = DefaultConfig.PASSWORD_HASH_PARAMS


def create(app, **kwargs) -> User:
    with app.app_context():
        user = make_user(**kwargs)
        db.session.commit()
        db.session.refresh(user)
        db.session.expunge(user)
        return user


def reload_id(app, username: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(User.id).where(User.username == username))


def reload(app, user_id: int) -> User:
    with app.app_context():
        user = db.session.get(User, user_id)
        db.session.expunge(user)
        return user


def post_login(client, username: str, password: str = TEST_PASSWORD, **query):
    return client.post("/auth/login", query_string=query, data={"username": username, "password": password})


def audit_actions(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)))


def test_login_success_lands_on_dashboard_and_is_audited(app, client):
    user = create(app, role=Role.PENGADUAN, username="siti")
    response = post_login(client, "SITI ")  # usernames are case-insensitive and trimmed
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/internal/")
    assert "Dasbor Tim Pengaduan" in client.get("/internal/").get_data(as_text=True)
    assert "user.login" in audit_actions(app)
    assert reload(app, user.id).last_login_at is not None


@pytest.mark.parametrize("username", ["siti", "nobody"])
def test_wrong_password_and_unknown_user_get_the_same_message(app, client, username):
    create(app, username="siti")
    response = post_login(client, username, "wrong password!!")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah." in body
    assert client.get("/internal/").status_code == 302


GENERIC_REFUSAL = "Nama pengguna atau kata sandi salah."
ATTACKER = {"REMOTE_ADDR": "203.0.113.66"}
OFFICE = {"REMOTE_ADDR": "10.20.0.5"}


def post_login_from(client, environ: dict, username: str, password: str = TEST_PASSWORD):
    return client.post("/auth/login", data={"username": username, "password": password}, environ_base=environ)


def throttle_row(app, username: str, address: str) -> LoginThrottle | None:
    with app.app_context():
        row = db.session.scalar(
            sa.select(LoginThrottle).where(LoginThrottle.username == username, LoginThrottle.address == address)
        )
        if row is not None:
            db.session.expunge(row)
        return row


def expire_address_locks(app) -> None:
    with app.app_context():
        db.session.execute(sa.update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
        db.session.commit()


def test_lockout_after_repeated_failures_then_expires(app, client):
    user = create(app, username="siti")
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        post_login(client, "siti", "wrong password!!")
    locked = throttle_row(app, "siti", "127.0.0.1")
    assert locked.failures == 5 and locked.locked_until is not None
    # Even the right password is refused while the lock lasts, with the message every refusal gets: a
    # locked account is not told apart from a wrong password or an unknown name.
    response = post_login(client, "siti")
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and GENERIC_REFUSAL in body
    assert "dikunci" not in body and "Terlalu banyak" not in body
    assert client.get("/internal/").status_code == 302
    assert "user.locked" in audit_actions(app)
    # Each further failure doubles the lock.
    expire_address_locks(app)
    post_login(client, "siti", "wrong again!!!!")
    second = throttle_row(app, "siti", "127.0.0.1")
    assert second.locked_until - utcnow() > timedelta(minutes=1, seconds=30)
    expire_address_locks(app)
    assert post_login(client, "siti").status_code == 302
    assert throttle_row(app, "siti", "127.0.0.1").failures == 0
    assert reload(app, user.id).failed_logins == 0


def test_an_attacker_elsewhere_cannot_lock_the_officer_out(app):
    create(app, role=Role.PENGADUAN, username="admin")
    attacker, officer = app.test_client(), app.test_client()
    for _ in range(3 * app.config["LOGIN_FREE_ATTEMPTS"]):
        response = post_login_from(attacker, ATTACKER, "admin", "guess guess guess")
        assert GENERIC_REFUSAL in response.get_data(as_text=True)
    assert post_login_from(attacker, ATTACKER, "admin").status_code == 200  # the attacker's address is locked
    response = post_login_from(officer, OFFICE, "admin")
    assert response.status_code == 302 and response.headers["Location"].endswith("/internal/")


def test_the_per_account_ceiling_slows_guessing_from_many_addresses_but_not_the_officers_own(app):
    create(app, role=Role.PENGADUAN, username="siti")
    officer = app.test_client()
    assert post_login_from(officer, OFFICE, "siti").status_code == 302  # the office address is now known
    officer.post("/auth/logout", environ_base=OFFICE)
    botnet = app.test_client()
    ceiling = app.config["LOGIN_ACCOUNT_FREE_ATTEMPTS"]
    for i in range(ceiling):  # each address stays under its own free attempts
        post_login_from(botnet, {"REMOTE_ADDR": f"198.51.100.{i + 1}"}, "siti", "guess guess guess")
    # A fresh address, even with the right password, waits out the ceiling's lock ...
    response = post_login_from(botnet, {"REMOTE_ADDR": "192.0.2.200"}, "siti")
    assert response.status_code == 200 and GENERIC_REFUSAL in response.get_data(as_text=True)
    # ... while the officer, at an address the account signed in from, is never locked out by it.
    assert post_login_from(officer, OFFICE, "siti").status_code == 302


class CountingHasher:
    """The app's argon2id hasher, counting verifications."""

    def __init__(self, hasher) -> None:  # noqa: ANN001
        self.hasher = hasher
        self.verifications = 0

    def verify(self, hash_: str, password: str) -> bool:
        self.verifications += 1
        return self.hasher.verify(hash_, password)

    def __getattr__(self, name: str):  # noqa: ANN204
        return getattr(self.hasher, name)


@pytest.mark.parametrize("case", ["unknown", "wrong", "locked", "disabled"])
def test_unknown_wrong_locked_and_disabled_do_the_same_work_and_say_the_same(app, client, monkeypatch, case):
    create(app, username="siti", is_active=case != "disabled")
    if case == "locked":
        for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
            post_login(client, "siti", "wrong password!!")
    hashing = app.extensions["zi_passwords"]
    counting = CountingHasher(hashing.hasher)
    monkeypatch.setattr(hashing, "hasher", counting)
    username, password = {
        "unknown": ("nobody", TEST_PASSWORD),
        "wrong": ("siti", "wrong password!!"),
        "locked": ("siti", TEST_PASSWORD),  # the right password, refused while locked
        "disabled": ("siti", TEST_PASSWORD),
    }[case]
    response = post_login(client, username, password)
    assert response.status_code == 200
    assert GENERIC_REFUSAL in response.get_data(as_text=True)
    assert counting.verifications == 1  # one argon2id verification, whatever the case


@pytest.mark.parametrize("app_config", [{"PASSWORD_HASH_PARAMS": PRODUCTION_HASH}])
def test_unknown_wrong_and_locked_take_similar_time(app, client):
    """Medians of a few attempts each with the production argon2id profile: before the fix a locked
    account answered ~10x faster than an unknown name. The bound is generous for a busy machine."""
    create(app, username="siti")
    for _ in range(app.config["LOGIN_FREE_ATTEMPTS"]):
        post_login(client, "siti", "wrong password!!")
    other = app.test_client()

    def median_seconds(c, username: str, password: str) -> float:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            c.post("/auth/login", data={"username": username, "password": password})
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    locked = median_seconds(client, "siti", TEST_PASSWORD)
    unknown = median_seconds(client, "nobody", TEST_PASSWORD)
    wrong = median_seconds(other, "siti", "wrong password!!")  # (this client's address is locked too: same)
    fastest, slowest = min(locked, unknown, wrong), max(locked, unknown, wrong)
    assert slowest < 2.5 * fastest, (locked, unknown, wrong)


def test_disabled_account_cannot_sign_in(app, client):
    create(app, username="siti", is_active=False)
    response = post_login(client, "siti")
    assert response.status_code == 200
    assert client.get("/internal/").status_code == 302


@pytest.mark.parametrize(
    ("next_url", "expected_path"),
    [
        ("/internal/akun", "/internal/akun"),
        ("//evil.example/x", "/internal/"),
        ("https://evil.example/", "/internal/"),
        ("/\\evil.example", "/internal/"),
        ("javascript:alert(1)", "/internal/"),
        ("\t//evil.example", "/internal/"),
    ],
)
def test_next_redirect_only_to_local_paths(app, client, next_url, expected_path):
    create(app, role=Role.ADMIN, username="adm")
    response = post_login(client, "adm", next=next_url)
    assert response.status_code == 302
    assert response.headers["Location"] == expected_path


def test_must_change_password_is_enforced_and_works(app, client):
    user = create(app, username="siti", must_change_password=True)
    response = post_login(client, "siti")
    assert response.headers["Location"].endswith("/auth/password")
    assert client.get("/internal/").headers["Location"].endswith("/auth/password")
    response = client.post(
        "/auth/password",
        data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert client.get("/internal/").status_code == 200
    assert not reload(app, user.id).must_change_password
    client.post("/auth/logout")
    assert post_login(client, "siti", NEW_PASSWORD).status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("not my password!", NEW_PASSWORD, NEW_PASSWORD, "Kata sandi saat ini salah."),
        (TEST_PASSWORD, "short", "short", "Minimal 12 karakter."),
        (TEST_PASSWORD, "siti-siti-siti-siti", "siti-siti-siti-siti", "Tidak memuat nama pengguna."),
        (TEST_PASSWORD, "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "Sedikitnya 6 karakter yang berbeda."),
        (TEST_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "tidak sama"),
        (TEST_PASSWORD, "x" * 300, "x" * 300, "Maksimal 256 karakter."),
    ],
)
def test_password_change_rejects_bad_input(app, client, current, new, confirm, message):
    user = create(app, username="siti")
    post_login(client, "siti")
    response = client.post(
        "/auth/password", data={"current_password": current, "new_password": new, "confirm": confirm}
    )
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(User, user.id).password_hash == user.password_hash


def field_errors(html: str) -> str:
    """The messages under the form's fields (the hint beside the field lists every rule, broken or not)."""
    return " ".join(re.findall(r'<p class="error" id="[\w-]+-error">(.*?)</p>', html, re.S))


def field_hint(html: str, field: str) -> str:
    return re.search(rf'<p class="hint" id="{field}-hint">(.*?)</p>', html, re.S).group(1)


def rules_in(app, language: str) -> list[str]:
    """The password rules as `user create` says them (security/passwords.py), in `language`."""
    with app.test_request_context(), force_locale(language):
        return list(password_rules(min_length=app.config["PASSWORD_MIN_LENGTH"]).values())


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_password_page_lists_the_rules_the_command_line_says(app, client, language):
    create(app, username="siti", must_change_password=True)
    client.set_cookie(LANG_COOKIE, language)
    post_login(client, "siti")
    html = client.get("/auth/password").get_data(as_text=True)
    hint = field_hint(html, "new_password")
    assert all(rule in hint for rule in rules_in(app, language))
    assert ("Minimal 12 karakter." if language == "id" else "At least 12 characters.") in hint
    notice = re.search(r'<p class="notice">(.*?)</p>', html, re.S).group(1)
    # Made by `flask user create` (the server's operator), not by an admin: the notice blames nobody in particular.
    assert "admin" not in notice.lower()
    assert ("oleh orang lain" if language == "id" else "Someone else set this password") in notice
    response = client.post(
        "/auth/password", data={"current_password": TEST_PASSWORD, "new_password": "short", "confirm": "short"}
    )
    assert rules_in(app, language)[0] in field_errors(response.get_data(as_text=True))


def invitation_link(app, username: str) -> str:
    """A new account's one-time set-password link, as mailed to the member."""
    with app.app_context():
        admin = make_user(role=Role.ADMIN, username="adm")
        member = make_user(username=username, email=f"{username}@magelangkota.go.id")
        account_links.invite(admin, member)
        db.session.commit()
        body = db.session.scalars(sa.select(OutboxMail.body).order_by(OutboxMail.id.desc())).first()
    return re.search(r"http://localhost(/auth/sandi/\S+)", body).group(1)


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("Pendek-42", ["Minimal 12 karakter."]),
        ("x" * 300, ["Maksimal 256 karakter.", "Sedikitnya 6 karakter yang berbeda."]),
        ("sandi milik Budi 2026", ["Tidak memuat nama pengguna."]),
    ],
)
def test_the_set_password_link_lists_the_rules_and_names_the_ones_broken(app, client, password, broken):
    link = invitation_link(app, "budi")
    html = client.get(link).get_data(as_text=True)
    assert all(rule in field_hint(html, "new_password") for rule in rules_in(app, "id"))
    response = client.post(link, data={"new_password": password, "confirm": password})
    assert response.status_code == 200
    errors = field_errors(response.get_data(as_text=True))
    assert all(rule in errors for rule in broken)
    assert [rule for rule in rules_in(app, "id") if rule in errors] == broken  # and no other rule
    assert client.get(link).status_code == 200  # the link is still unused
    assert post_login(client, "budi", password).status_code == 200  # no password was set


def test_password_change_signs_out_other_sessions(app):
    create(app, username="siti")
    laptop, phone = app.test_client(), app.test_client()
    post_login(laptop, "siti")
    post_login(phone, "siti")
    assert phone.get("/internal/").status_code == 200
    laptop.post(
        "/auth/password",
        data={"current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert laptop.get("/internal/").status_code == 200
    assert phone.get("/internal/").status_code == 302


def test_logout_requires_post_and_ends_the_session(app, client, login_as):
    login_as(Role.SKM)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/internal/").status_code == 302
    assert "user.logout" in audit_actions(app)


INBOX = "/internal/pengaduan"


def copy_session_cookie(source, target) -> None:
    """What an attacker does with a stolen cookie: send it from another browser."""
    cookie = source.get_cookie("zi_session")
    assert cookie is not None
    target.set_cookie("zi_session", cookie.value)


def test_a_cookie_replayed_after_logout_is_refused_even_after_a_fresh_login(app, client):
    create(app, role=Role.PENGADUAN, username="siti")
    post_login(client, "siti")
    thief = app.test_client()
    copy_session_cookie(client, thief)
    assert thief.get(INBOX).status_code == 200  # a copied cookie works while the session lives
    client.post("/auth/logout")
    response = thief.get(INBOX)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    post_login(client, "siti")
    assert client.get(INBOX).status_code == 200
    response = thief.get(INBOX)
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_logout_ends_every_session_of_the_account_and_says_so(app):
    create(app, role=Role.PENGADUAN, username="siti")
    laptop, phone = app.test_client(), app.test_client()
    post_login(laptop, "siti")
    post_login(phone, "siti")
    response = laptop.post("/auth/logout", follow_redirects=True)
    assert "semua perangkat" in response.get_data(as_text=True)
    assert phone.get(INBOX).status_code == 302


def shown_secret(page: str) -> str:
    match = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page)
    assert match, "the setup page shows the secret for typing it in"
    return match.group(1)


def session_contents(app, client) -> dict:
    """What the browser holds: the signed (not encrypted) session cookie, decoded as anyone can."""
    cookie = client.get_cookie("zi_session")
    assert cookie is not None
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def wrong_code(secret: str) -> str:
    right = {pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in right)


class TestTotp:
    def _with_totp(self, app) -> tuple[User, str]:
        secret = pyotp.random_base32()
        user = create(app, username="siti", totp_secret=secret)
        return user, secret

    def test_wrong_codes_lock_then_even_the_right_code_is_refused(self, app, client):
        user, secret = self._with_totp(app)
        post_login(client, "siti")
        for _ in range(app.config["LOGIN_FREE_ATTEMPTS"] - 1):
            response = client.post("/auth/totp", data={"code": wrong_code(secret)})
            assert "Kode tidak cocok" in response.get_data(as_text=True)
        response = client.post("/auth/totp", data={"code": wrong_code(secret)})
        assert "Terlalu banyak kode yang salah" in response.get_data(as_text=True)
        for _ in range(35):  # the 40 wrong codes: none is even checked any more
            client.post("/auth/totp", data={"code": wrong_code(secret)})
        response = client.post("/auth/totp", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 200
        assert "Terlalu banyak kode yang salah" in response.get_data(as_text=True)
        assert client.get("/internal/").status_code == 302
        # Starting over with the password does not reset the count: the password step is refused too.
        response = post_login(client, "siti")
        assert response.status_code == 200 and GENERIC_REFUSAL in response.get_data(as_text=True)
        assert "user.locked" in audit_actions(app)
        assert reload(app, user.id).last_login_at is None

    def test_a_right_code_after_a_few_wrong_ones_signs_in_and_clears_the_count(self, app, client):
        user, secret = self._with_totp(app)
        post_login(client, "siti")
        for _ in range(app.config["LOGIN_FREE_ATTEMPTS"] - 1):
            client.post("/auth/totp", data={"code": wrong_code(secret)})
        assert client.post("/auth/totp", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
        assert throttle_row(app, "siti", "127.0.0.1").failures == 0
        assert reload(app, user.id).failed_logins == 0

    def test_the_enrolment_secret_is_never_in_the_session_cookie(self, app, client):
        create(app, username="siti")
        post_login(client, "siti")
        page = client.get("/auth/totp/setup").get_data(as_text=True)
        secret = shown_secret(page)
        contents = session_contents(app, client)
        assert secret not in json.dumps(contents, default=str)
        assert not any("totp" in key for key in contents)
        with app.app_context():
            stored = db.session.execute(
                sa.text("SELECT totp_pending_secret FROM user_account WHERE username='siti'")
            ).scalar_one()
        assert stored.startswith("zk1.") and secret not in stored  # encrypted at rest
        # Proving the code (from this or another browser of the same account) turns TOTP on.
        response = client.post("/auth/totp/setup", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        user = reload(app, reload_id(app, "siti"))
        assert user.has_totp and user.totp_pending_secret is None

    def test_totp_is_a_second_step(self, app, client):
        _, secret = self._with_totp(app)
        response = post_login(client, "siti")
        assert response.headers["Location"].endswith("/auth/totp")
        assert client.get("/internal/").status_code == 302  # not signed in yet
        response = client.post(
            "/auth/totp", data={"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "111111"}
        )
        assert "Kode tidak cocok" in response.get_data(as_text=True)
        response = client.post("/auth/totp", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert client.get("/internal/").status_code == 200

    def test_a_used_code_cannot_be_replayed(self, app, client):
        _, secret = self._with_totp(app)
        code = pyotp.TOTP(secret).now()
        post_login(client, "siti")
        assert client.post("/auth/totp", data={"code": code}).status_code == 302
        client.post("/auth/logout")
        post_login(client, "siti")
        response = client.post("/auth/totp", data={"code": code})
        assert response.status_code == 200
        assert client.get("/internal/").status_code == 302

    def test_totp_step_without_password_step_goes_back_to_login(self, app, client):
        self._with_totp(app)
        response = client.post("/auth/totp", data={"code": "123456"})
        assert response.headers["Location"].endswith("/auth/login")

    @pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６", "1" * 5000])
    def test_malformed_codes_get_a_message(self, app, client, code):
        self._with_totp(app)
        post_login(client, "siti")
        response = client.post("/auth/totp", data={"code": code})
        assert response.status_code == 200
        assert client.get("/internal/").status_code == 302

    def test_admin_can_make_totp_mandatory_and_enrolment_works(self, app, client):
        create(app, username="siti")
        with app.app_context():
            set_setting("test", "require_totp", True)
            db.session.commit()
        response = post_login(client, "siti")
        assert response.headers["Location"].endswith("/auth/totp/setup")
        assert client.get("/internal/").headers["Location"].endswith("/auth/totp/setup")
        page = client.get("/auth/totp/setup").get_data(as_text=True)
        assert "<svg" in page
        secret = shown_secret(page)
        assert client.get("/auth/totp/setup").get_data(as_text=True).count(secret) == 1  # the same until proven
        assert client.post("/auth/totp/setup", data={"code": "12345x"}).status_code == 200
        response = client.post("/auth/totp/setup", data={"code": pyotp.TOTP(secret).now()})
        assert response.status_code == 302
        assert client.get("/internal/").status_code == 200
        with app.app_context():
            stored = db.session.execute(
                sa.text("SELECT totp_secret FROM user_account WHERE username='siti'")
            ).scalar_one()
        assert stored.startswith("zk1.") and secret not in stored


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"username": "siti"},
        {"password": TEST_PASSWORD},
        {"username": "", "password": ""},
        {"username": "x" * 10_000, "password": TEST_PASSWORD},
        {"username": "siti", "password": "p" * 100_000},
        {"username": "siti' OR '1'='1", "password": "' OR '1'='1"},
        {"username": ["nobody", "siti"], "password": TEST_PASSWORD},  # only the first value counts
    ],
)
def test_login_form_survives_hostile_input(app, client, data):
    create(app, username="siti")
    response = client.post("/auth/login", data=data)
    assert response.status_code == 200
    assert "<form" in response.get_data(as_text=True)
    assert client.get("/internal/").status_code == 302


@pytest.mark.parametrize(
    "data", [{"username": "\x00siti", "password": TEST_PASSWORD}, {"username": "siti", "password": "a\x00b"}]
)
def test_nul_bytes_are_refused_with_a_clear_page(app, client, data):
    create(app, username="siti")
    response = client.post("/auth/login", data=data)
    assert response.status_code == 400
    assert "Permintaan tidak dapat diproses" in response.get_data(as_text=True)
    assert client.get("/internal/").status_code == 302


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"username=\xff\xfe&password=\xc3", "application/x-www-form-urlencoded"),
        (b'{"username": "siti", "password": "x"}', "application/json"),
        (b"--x\r\nbroken multipart", "multipart/form-data; boundary=x"),
    ],
)
def test_login_form_survives_broken_encodings(app, client, body, content_type):
    create(app, username="siti")
    response = client.post("/auth/login", data=body, content_type=content_type)
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/internal/").status_code == 302


def test_locked_time_is_stored_as_naive_utc(app, client):
    create(app, username="siti")
    before = datetime.now(UTC).replace(tzinfo=None)
    for _ in range(5):
        post_login(client, "siti", "wrong password!!")
    locked_until = throttle_row(app, "siti", "127.0.0.1").locked_until
    assert before + timedelta(seconds=50) < locked_until < before + timedelta(minutes=2)
