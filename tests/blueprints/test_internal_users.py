"""Admin pages for staff accounts."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import make_user
from zi_public.extensions import db
from zi_public.models import AuditEntry, OutboxMail, Role, User


@pytest.fixture
def admin(login_as) -> User:
    return login_as(Role.ADMIN, username="adm")


def get_user(app, username: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == username))
        if user is not None:
            db.session.expunge(user)
        return user


def mailed_link(app, address: str) -> str:
    """The set-password link in the newest mail queued for `address` (what only the member receives)."""
    with app.app_context():
        for mail in db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id.desc())):
            if mail.recipients and address in mail.recipients:
                return re.search(r"http://localhost(/auth/sandi/\S+)", mail.body).group(1)
    raise AssertionError(f"no mail to {address}")


def test_admin_creates_an_account_and_the_member_sets_the_password_by_mail(app, client, admin):
    response = client.post(
        "/internal/akun/baru",
        data={"username": "Budi.S", "full_name": "Budi Santoso", "email": "budi@magelangkota.go.id", "role": "skm"},
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "one-time-secret" not in body and "dikirim ke alamat surel" in body  # the admin gets no password
    user = get_user(app, "budi.s")
    assert user.role == Role.SKM and user.pending_role is None and user.email == "budi@magelangkota.go.id"
    with app.app_context():
        actions = list(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.actor == "adm")))
    assert {"user.create", "user.invite"} <= set(actions)
    other = app.test_client()
    link = mailed_link(app, "budi@magelangkota.go.id")
    other.post(link, data={"new_password": "a brand new passphrase 42", "confirm": "a brand new passphrase 42"})
    response = other.post("/auth/login", data={"username": "budi.s", "password": "a brand new passphrase 42"})
    assert response.headers["Location"].endswith("/internal/")


@pytest.mark.parametrize(
    ("language", "choice", "required"),
    [("id", "Pilih dari daftar.", "Wajib diisi."), ("en", "Not a valid choice.", "This field is required.")],
)
def test_the_form_librarys_own_messages_speak_the_pages_language(client, admin, language, choice, required):
    """WTForms' built-in messages are English; an Indonesian page says them in Indonesian (the id catalogue)."""
    from zi_public.i18n import LANG_COOKIE

    client.set_cookie(LANG_COOKIE, language)
    body = client.post("/internal/akun/baru", data={"role": "superuser"}).get_data(as_text=True)
    assert choice in body and required in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"username": "adm", "role": "skm"}, "sudah dipakai"),
        ({"username": "ADM", "role": "skm"}, "sudah dipakai"),
        ({"username": "a b", "role": "skm"}, "Hanya huruf"),
        ({"username": "<script>", "role": "skm"}, "Hanya huruf"),
        ({"username": "ok", "role": "skm"}, "3"),
        ({"username": "x" * 65, "role": "skm"}, "64"),
        ({"username": "valid", "role": "superuser"}, "Pilih dari daftar"),  # WTForms' own message, in Indonesian
        ({"username": "valid", "role": "skm", "email": "not-an-email"}, "email"),
        ({"role": "skm"}, "Wajib diisi"),
    ],
)
def test_create_account_rejects_bad_input_and_keeps_values(app, client, admin, data, message):
    with app.app_context():
        before = db.session.scalar(sa.select(sa.func.count(User.id)))
    response = client.post("/internal/akun/baru", data=data)
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message.lower() in body.lower()
    assert 'class="error-summary"' in body
    if data.get("username") and data["username"] not in ("<script>",):
        assert f'value="{data["username"]}"' in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == before


def test_role_change_signs_the_account_out(app, client, admin):
    with app.app_context():
        target = make_user(role=Role.PENGADUAN, username="rina")
        db.session.commit()
        target_id = target.id
    rina = app.test_client()
    rina.post("/auth/login", data={"username": "rina", "password": "correct horse battery staple"})
    assert rina.get("/internal/").status_code == 200
    response = client.post(f"/internal/akun/{target_id}/peran", data={"role": "skm"})  # reads no cases: at once
    assert response.status_code == 302
    assert get_user(app, "rina").role == Role.SKM
    assert rina.get("/internal/").status_code == 302


def test_disable_and_enable(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.WBS, username="wawan").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/nonaktifkan")
    assert not get_user(app, "wawan").is_active
    other = app.test_client()
    assert (
        other.post("/auth/login", data={"username": "wawan", "password": "correct horse battery staple"}).status_code
        == 200
    )
    client.post(f"/internal/akun/{target_id}/aktifkan")
    assert get_user(app, "wawan").is_active
    assert (
        other.post("/auth/login", data={"username": "wawan", "password": "correct horse battery staple"}).status_code
        == 302
    )


def test_admin_cannot_lock_out_the_last_admin(app, client, admin):
    response = client.post(f"/internal/akun/{admin.id}/nonaktifkan", follow_redirects=True)
    assert "akun Anda sendiri" in response.get_data(as_text=True)
    response = client.post(f"/internal/akun/{admin.id}/peran", data={"role": "skm"}, follow_redirects=True)
    assert "minimal satu admin aktif" in response.get_data(as_text=True)
    assert get_user(app, "adm").role == Role.ADMIN and get_user(app, "adm").is_active


def test_reset_password_unlock_and_reset_totp(app, client, admin):
    with app.app_context():
        target = make_user(
            role=Role.UPG,
            username="umi",
            email="umi@magelangkota.go.id",
            totp_secret="JBSWY3DPEHPK3PXP",
            failed_logins=7,
        )
        db.session.commit()
        target_id = target.id
    page = client.get(f"/internal/akun/{target_id}").get_data(as_text=True)
    assert "Buka kunci" in page and "Reset autentikasi dua langkah" in page
    client.post(f"/internal/akun/{target_id}/buka-kunci")
    client.post(f"/internal/akun/{target_id}/reset-totp")
    response = client.post(f"/internal/akun/{target_id}/reset-sandi")
    body = response.get_data(as_text=True)
    # The admin is shown no password and cannot sign in as the member: the link went to the member's address.
    assert "one-time-secret" not in body and "dikirim ke alamat surel" in body
    user = get_user(app, "umi")
    assert user.failed_logins == 0 and not user.has_totp
    other = app.test_client()
    assert (
        other.post("/auth/login", data={"username": "umi", "password": "correct horse battery staple"}).status_code
        == 200
    )
    assert mailed_link(app, "umi@magelangkota.go.id").startswith("/auth/sandi/")
    with app.app_context():
        actions = set(db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.target_id == str(target_id))))
    assert {"user.unlock", "user.totp_reset", "user.reset"} <= actions


def test_unknown_account_and_unknown_action(client, admin):
    assert client.get("/internal/akun/99999").status_code == 404
    assert client.post("/internal/akun/99999/nonaktifkan").status_code == 404
    assert client.post(f"/internal/akun/{admin.id}/hapus").status_code == 404
    assert (
        client.post(f"/internal/akun/{admin.id}/peran", data={"role": "root"}, follow_redirects=True).status_code == 200
    )


def test_list_pages_by_keyset_and_searches(app, client, admin):
    app.config["PAGE_SIZE"] = 3
    with app.app_context():
        for i in range(7):
            make_user(role=Role.SKM, username=f"petugas{i}")
        db.session.commit()
    first = client.get("/internal/akun").get_data(as_text=True)
    assert "petugas6" in first and "petugas3" not in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(next_link).get_data(as_text=True)
    assert "petugas3" in second and "petugas6" not in second
    prev_link = re.search(r'rel="prev" href="([^"]+)"', second).group(1).replace("&amp;", "&")
    assert "petugas6" in client.get(prev_link).get_data(as_text=True)
    found = client.get("/internal/akun?q=PETUGAS5").get_data(as_text=True)
    assert "petugas5" in found and "petugas4" not in found
    assert "Tidak ada akun" in client.get("/internal/akun?q=%25").get_data(as_text=True)
    assert client.get("/internal/akun?before=abc&after=-1").status_code == 200


def test_totp_requirement_toggle_is_audited(app, client, admin):
    client.post("/internal/akun/pengaturan", data={"require_totp": "y"})
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "setting.change"))
    assert entry is not None and '"to":true' in entry.data
    # The admin, without TOTP, is now sent to enrol before anything else.
    assert client.get("/internal/akun").headers["Location"].endswith("/auth/totp/setup")


@pytest.mark.parametrize("cursor", ["²", "٣", "9" * 40, "-5", "1e3", ""])
def test_odd_paging_cursors_are_ignored(client, admin, cursor):
    assert client.get("/internal/akun", query_string={"before": cursor}).status_code == 200
    assert client.get("/internal/akun", query_string={"after": cursor}).status_code == 200


def test_sign_out_everywhere_ends_the_accounts_live_sessions_and_is_audited(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.PENGADUAN, username="rina").id
        db.session.commit()
    rina = app.test_client()
    rina.post("/auth/login", data={"username": "rina", "password": "correct horse battery staple"})
    assert rina.get("/internal/pengaduan").status_code == 200
    page = client.get(f"/internal/akun/{target_id}").get_data(as_text=True)
    assert "Keluarkan dari semua perangkat" in page
    response = client.post(f"/internal/akun/{target_id}/keluar-semua", follow_redirects=True)
    assert "Semua sesi akun ini telah diakhiri." in response.get_data(as_text=True)
    response = rina.get("/internal/pengaduan")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/internal/akun").status_code == 200  # the admin's own session goes on
    with app.app_context():
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.sign_out_everywhere"))
    assert entry.actor == "adm" and entry.target_id == str(target_id)
    # The account itself still works: signing in again is allowed.
    assert (
        rina.post("/auth/login", data={"username": "rina", "password": "correct horse battery staple"}).status_code
        == 302
    )


def test_deactivation_ends_a_live_session(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.PENGADUAN, username="wati").id
        db.session.commit()
    wati = app.test_client()
    wati.post("/auth/login", data={"username": "wati", "password": "correct horse battery staple"})
    assert wati.get("/internal/pengaduan").status_code == 200
    client.post(f"/internal/akun/{target_id}/nonaktifkan")
    response = wati.get("/internal/pengaduan")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
