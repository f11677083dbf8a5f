"""Two-person rules for staff accounts (issue 7, point 6): an admin's reset never lets the admin sign in as
the member, and a case-reading role takes effect only once a second person approves it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.blueprints.test_internal_access import ALL, EXPECTED, requests_for
from tests.blueprints.test_internal_users import get_user, mailed_link
from tests.factories import TEST_PASSWORD, make_pengaduan, make_user
from zi_public.extensions import db
from zi_public.models import AccountLink, AuditEntry, Role, User
from zi_public.models.base import utcnow
from zi_public.rules.account_approval import APPROVAL_WAIT_DAYS

NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture
def admin(login_as) -> User:
    return login_as(Role.ADMIN, username="adm")


def sign_in(app, username: str, password: str = TEST_PASSWORD, **fields):
    """A second browser, signed in as `username` (created with `fields` when given)."""
    if fields:
        with app.app_context():
            make_user(username=username, **fields)
            db.session.commit()
    browser = app.test_client()
    response = browser.post("/auth/login", data={"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return browser


def set_password(browser, link: str, code: str | None = None, password: str = NEW_PASSWORD):
    data = {"new_password": password, "confirm": password}
    if code is not None:
        data["code"] = code
    return browser.post(link, data=data)


def actions_on(app, username: str) -> list[str]:
    with app.app_context():
        user_id = db.session.scalar(sa.select(User.id).where(User.username == username))
        return list(
            db.session.scalars(
                sa.select(AuditEntry.action).where(AuditEntry.target_id == str(user_id)).order_by(AuditEntry.id)
            )
        )


def shown_secret(html: str) -> str:
    return re.search(r'class="one-time-secret"><code>([^<]+)</code>', html).group(1)


def user_id(app, username: str) -> int:
    return get_user(app, username).id


# -- case-reading roles ------------------------------------------------------------------------


def test_a_new_case_reader_reads_nothing_until_a_second_admin_approves(app, client, admin):
    client.post(
        "/internal/akun/baru",
        data={"username": "budi", "full_name": "Budi", "email": "budi@magelangkota.go.id", "role": "pengaduan"},
    )
    budi = get_user(app, "budi")
    assert budi.role is None and budi.pending_role == Role.PENGADUAN
    assert "menunggu persetujuan" in client.get("/internal/akun").get_data(as_text=True)
    member = app.test_client()
    set_password(member, mailed_link(app, "budi@magelangkota.go.id"))
    assert member.post("/auth/login", data={"username": "budi", "password": NEW_PASSWORD}).status_code == 302
    assert "menunggu persetujuan" in member.get("/internal/").get_data(as_text=True)
    assert member.get("/internal/pengaduan").status_code == 403

    # The requesting admin cannot approve it.
    refused = client.post(
        f"/internal/persetujuan/peran/{budi.id}/setujui", data={"role": "pengaduan"}, follow_redirects=True
    )
    assert "persetujuan harus dari orang lain" in refused.get_data(as_text=True)
    assert get_user(app, "budi").role is None

    second = sign_in(app, "adm2", role=Role.ADMIN)
    assert "budi" in second.get("/internal/persetujuan").get_data(as_text=True)
    second.post(f"/internal/persetujuan/peran/{budi.id}/setujui", data={"role": "pengaduan"})
    assert get_user(app, "budi").role == Role.PENGADUAN and get_user(app, "budi").pending_role is None
    assert member.get("/internal/").status_code == 302  # the role change signed the member out
    assert member.post("/auth/login", data={"username": "budi", "password": NEW_PASSWORD}).status_code == 302
    assert member.get("/internal/pengaduan").status_code == 200
    assert {"user.create", "user.role_request", "user.invite", "user.password_set", "user.role_approve"} <= set(
        actions_on(app, "budi")
    )


def test_a_role_change_to_a_case_reader_keeps_the_old_role_until_the_pimpinan_approves(app, client, admin):
    with app.app_context():
        target = make_user(role=Role.SKM, username="sari")
        db.session.commit()
        target_id = target.id
    sari = sign_in(app, "sari")
    response = client.post(f"/internal/akun/{target_id}/peran", data={"role": "wbs"}, follow_redirects=True)
    assert "menunggu persetujuan" in response.get_data(as_text=True)
    assert get_user(app, "sari").role == Role.SKM
    assert "menunggu persetujuan" in sari.get("/internal/").get_data(as_text=True)
    pimpinan = sign_in(app, "kepala", role=Role.PIMPINAN)
    pimpinan.post(f"/internal/persetujuan/peran/{target_id}/setujui", data={"role": "wbs"})
    assert get_user(app, "sari").role == Role.WBS


def test_an_approval_of_a_request_that_changed_meanwhile_is_refused(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="sari").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/peran", data={"role": "upg"})
    second = sign_in(app, "adm2", role=Role.ADMIN)
    client.post(f"/internal/akun/{target_id}/peran", data={"role": "wbs"})  # changed after adm2 looked
    response = second.post(
        f"/internal/persetujuan/peran/{target_id}/setujui", data={"role": "upg"}, follow_redirects=True
    )
    assert "sudah diproses atau diubah" in response.get_data(as_text=True)
    assert get_user(app, "sari").role == Role.SKM


def test_a_role_request_older_than_its_days_can_only_be_refused(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="sari").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/peran", data={"role": "upg"})
    with app.app_context():  # the request was made 14 days ago
        db.session.get(User, target_id).pending_role_at = utcnow() - timedelta(days=APPROVAL_WAIT_DAYS)
        db.session.commit()
    pimpinan = sign_in(app, "kepala", role=Role.PIMPINAN)
    page = pimpinan.get("/internal/persetujuan").get_data(as_text=True)
    assert "Kedaluwarsa: menunggu lebih dari 14 hari." in page
    assert f"/internal/persetujuan/peran/{target_id}/setujui" not in page
    assert f"/internal/persetujuan/peran/{target_id}/tolak" in page
    # A forged approval (the button is gone, the POST is not) is refused and grants nothing.
    response = pimpinan.post(
        f"/internal/persetujuan/peran/{target_id}/setujui", data={"role": "upg"}, follow_redirects=True
    )
    assert "tidak dapat disetujui lagi" in response.get_data(as_text=True)
    assert get_user(app, "sari").role == Role.SKM and get_user(app, "sari").pending_role == Role.UPG
    pimpinan.post(f"/internal/persetujuan/peran/{target_id}/tolak", data={"role": "upg"})
    assert get_user(app, "sari").pending_role is None
    # Asked again, it is a fresh request the pimpinan may approve.
    client.post(f"/internal/akun/{target_id}/peran", data={"role": "upg"})
    pimpinan.post(f"/internal/persetujuan/peran/{target_id}/setujui", data={"role": "upg"})
    assert get_user(app, "sari").role == Role.UPG
    assert actions_on(app, "sari")[-4:] == [
        "user.role_request",
        "user.role_reject",
        "user.role_request",
        "user.role_approve",
    ]


def test_nobody_approves_a_role_for_their_own_account(app, client, admin):
    second = sign_in(app, "adm2", role=Role.ADMIN)
    adm2_id = user_id(app, "adm2")
    client.post(f"/internal/akun/{adm2_id}/peran", data={"role": "pengaduan"})
    response = second.post(
        f"/internal/persetujuan/peran/{adm2_id}/setujui", data={"role": "pengaduan"}, follow_redirects=True
    )
    assert "akun Anda sendiri" in response.get_data(as_text=True)
    assert get_user(app, "adm2").role == Role.ADMIN


def test_a_second_admin_account_also_needs_approval(app, client, admin):
    """One person with a self-made second admin account would be their own second approver."""
    client.post("/internal/akun/baru", data={"username": "alter", "email": "adm@magelangkota.go.id", "role": "admin"})
    assert get_user(app, "alter").role is None and get_user(app, "alter").pending_role == Role.ADMIN


def test_a_rejected_role_is_never_granted(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="sari").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/peran", data={"role": "upg"})
    second = sign_in(app, "adm2", role=Role.ADMIN)
    second.post(f"/internal/persetujuan/peran/{target_id}/tolak", data={"role": "upg"})
    user = get_user(app, "sari")
    assert user.role == Role.SKM and user.pending_role is None
    assert "user.role_reject" in actions_on(app, "sari")


def test_an_account_without_a_role_reaches_only_the_pages_every_role_reaches(app, client, admin):
    client.post("/internal/akun/baru", data={"username": "baru", "email": "baru@magelangkota.go.id", "role": "upg"})
    member = app.test_client()
    set_password(member, mailed_link(app, "baru@magelangkota.go.id"))
    assert member.post("/auth/login", data={"username": "baru", "password": NEW_PASSWORD}).status_code == 302
    for endpoint, method, url in requests_for(app, user_id(app, "adm")):
        if endpoint not in EXPECTED:  # undeclared pages fail test_every_internal_endpoint_is_declared
            continue
        status = member.open(url, method=method).status_code
        assert (status == 403) == (EXPECTED[endpoint] != ALL), f"{status} at {method} {url}"


def test_an_admin_cannot_read_a_rahasia_identity_through_an_account_of_their_own(app, seeded, client, admin):
    with app.app_context():
        case_id = make_pengaduan(identity="rahasia", name="Pelapor Rahasia", phone="081234567890").id
        db.session.commit()
    # The admin makes a Tim Pengaduan account with their own address and sets its password ...
    client.post(
        "/internal/akun/baru", data={"username": "samaran", "email": "adm@magelangkota.go.id", "role": "pengaduan"}
    )
    own = app.test_client()
    set_password(own, mailed_link(app, "adm@magelangkota.go.id"))
    assert own.post("/auth/login", data={"username": "samaran", "password": NEW_PASSWORD}).status_code == 302
    # ... but the role waits for a second person, so the case stays closed to it, and to the admin.
    for browser in (own, client):
        response = browser.get(f"/internal/pengaduan/{case_id}")
        assert response.status_code == 403 and "Pelapor Rahasia" not in response.get_data(as_text=True)


# -- password reset ----------------------------------------------------------------------------


def test_a_reset_mails_a_link_the_admin_never_sees_and_the_next_login_names_the_admin(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.PENGADUAN, username="umi", email="umi@magelangkota.go.id").id
        db.session.commit()
    umi = sign_in(app, "umi")
    page = client.post(f"/internal/akun/{target_id}/reset-sandi").get_data(as_text=True)
    link = mailed_link(app, "umi@magelangkota.go.id")
    token = link.rsplit("/", 1)[1]
    assert token not in page and "one-time-secret" not in page
    for admin_page in ("/internal/log-audit", "/internal/surel-gagal", f"/internal/akun/{target_id}"):
        assert token not in client.get(admin_page).get_data(as_text=True)
    with app.app_context():
        assert token not in " ".join(str(row) for row in db.session.execute(sa.select(AccountLink)).all())
    assert umi.get("/internal/").status_code == 302  # the reset ended the member's sessions
    assert app.test_client().post("/auth/login", data={"username": "umi", "password": TEST_PASSWORD}).status_code == 200

    member = app.test_client()
    form = member.get(link).get_data(as_text=True)
    assert "umi" in form and 'name="code"' not in form
    assert set_password(member, link).headers["Location"].endswith("/auth/login")
    welcome = member.post("/auth/login", data={"username": "umi", "password": NEW_PASSWORD}, follow_redirects=True)
    assert "direset oleh adm" in welcome.get_data(as_text=True)
    member.post("/auth/logout")
    again = member.post("/auth/login", data={"username": "umi", "password": NEW_PASSWORD}, follow_redirects=True)
    assert "direset oleh" not in again.get_data(as_text=True)  # told once
    assert {"user.reset", "user.password_set"} <= set(actions_on(app, "umi"))


def test_a_reset_without_an_address_needs_a_second_admin_and_both_halves(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.UPG, username="wati").id
        db.session.commit()
    page = client.post(f"/internal/akun/{target_id}/reset-sandi").get_data(as_text=True)
    code = shown_secret(page)  # the requester's half
    assert "/auth/sandi/" not in page
    with app.app_context():
        link_id = db.session.scalar(sa.select(AccountLink.id).where(AccountLink.user_id == target_id))
    # The old password still works until a link exists: a refused request locks nobody out.
    sign_in(app, "wati")
    refused = client.post(f"/internal/persetujuan/tautan/{link_id}/setujui", follow_redirects=True)
    assert "persetujuan harus dari orang lain" in refused.get_data(as_text=True)

    second = sign_in(app, "adm2", role=Role.ADMIN)
    approved = second.post(f"/internal/persetujuan/tautan/{link_id}/setujui").get_data(as_text=True)
    link = shown_secret(approved).replace("http://localhost", "")
    assert code not in approved
    assert (
        app.test_client().post("/auth/login", data={"username": "wati", "password": TEST_PASSWORD}).status_code == 200
    )

    # The approver alone (the link without the code) cannot set the password.
    member = app.test_client()
    assert 'name="code"' in member.get(link).get_data(as_text=True)
    wrong = set_password(member, link, code="ABCDE-FGHJK")
    assert "Kode salah" in wrong.get_data(as_text=True)
    assert app.test_client().post("/auth/login", data={"username": "wati", "password": NEW_PASSWORD}).status_code == 200
    # The member with both halves can.
    assert set_password(member, link, code=code.lower()).status_code == 302
    welcome = member.post("/auth/login", data={"username": "wati", "password": NEW_PASSWORD}, follow_redirects=True)
    assert "direset oleh adm dengan persetujuan adm2" in welcome.get_data(as_text=True)
    assert {"user.reset", "user.reset_approve", "user.password_set"} <= set(actions_on(app, "wati"))


def test_a_link_request_older_than_its_days_can_only_be_refused(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.UPG, username="wati").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/reset-sandi")
    with app.app_context():
        link = db.session.scalars(sa.select(AccountLink).where(AccountLink.user_id == target_id)).one()
        link.created_at = utcnow() - timedelta(days=APPROVAL_WAIT_DAYS, minutes=1)
        db.session.commit()
        link_id = link.id
    second = sign_in(app, "adm2", role=Role.ADMIN)
    page = second.get("/internal/persetujuan").get_data(as_text=True)
    assert "Kedaluwarsa: menunggu lebih dari 14 hari." in page
    assert f"/internal/persetujuan/tautan/{link_id}/setujui" not in page
    refused = second.post(f"/internal/persetujuan/tautan/{link_id}/setujui", follow_redirects=True)
    assert "tidak dapat disetujui lagi" in refused.get_data(as_text=True) and "/auth/sandi/" not in refused.text
    with app.app_context():
        assert db.session.get(AccountLink, link_id).approved_at is None
    second.post(f"/internal/persetujuan/tautan/{link_id}/tolak")
    with app.app_context():
        assert db.session.get(AccountLink, link_id).cancelled_at is not None
    # The member's old password was never disabled by the expired request.
    assert sign_in(app, "wati") is not None


def test_guessing_the_code_kills_the_link(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.UPG, username="wati").id
        db.session.commit()
    code = shown_secret(client.post(f"/internal/akun/{target_id}/reset-sandi").get_data(as_text=True))
    with app.app_context():
        link_id = db.session.scalar(sa.select(AccountLink.id))
    second = sign_in(app, "adm2", role=Role.ADMIN)
    link = shown_secret(second.post(f"/internal/persetujuan/tautan/{link_id}/setujui").get_data(as_text=True))
    link = link.replace("http://localhost", "")
    member = app.test_client()
    for _ in range(5):
        set_password(member, link, code="ABCDE-FGHJK")
    response = set_password(member, link, code=code)
    assert response.status_code == 410 and "tidak berlaku lagi" in response.get_data(as_text=True)
    assert "user.link_code_exhausted" in actions_on(app, "wati")


@pytest.mark.parametrize("how", ["replayed", "expired", "forged", "superseded", "truncated"])
def test_a_bad_link_changes_nothing_and_says_why(app, client, admin, how):
    with app.app_context():
        target_id = make_user(role=Role.PENGADUAN, username="umi", email="umi@magelangkota.go.id").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/reset-sandi")
    link = mailed_link(app, "umi@magelangkota.go.id")
    member = app.test_client()
    expected = {
        "replayed": (410, "sudah dipakai"),
        "expired": (410, "kedaluwarsa"),
        "forged": (404, "Tautan tidak dikenal"),
        "superseded": (410, "tidak berlaku lagi"),
        "truncated": (404, "Tautan tidak dikenal"),
    }[how]
    if how == "replayed":
        set_password(member, link)
    elif how == "expired":
        with app.app_context():
            db.session.execute(sa.update(AccountLink).values(expires_at=utcnow() - timedelta(seconds=1)))
            db.session.commit()
    elif how == "forged":
        link = "/auth/sandi/" + "A" * 43
    elif how == "superseded":
        client.post(f"/internal/akun/{target_id}/reset-sandi")
    elif how == "truncated":
        link = link[:-5]
    before = get_user(app, "umi").password_hash
    for response in (member.get(link), set_password(member, link, password="another passphrase 77")):
        assert (response.status_code, expected[1] in response.get_data(as_text=True)) == (expected[0], True)
    assert get_user(app, "umi").password_hash == before


def test_a_weak_password_on_the_link_page_is_refused_and_the_link_still_works(app, client, admin):
    with app.app_context():
        target_id = make_user(role=Role.SKM, username="umi", email="umi@magelangkota.go.id").id
        db.session.commit()
    client.post(f"/internal/akun/{target_id}/reset-sandi")
    link = mailed_link(app, "umi@magelangkota.go.id")
    member = app.test_client()
    assert "minimal" in set_password(member, link, password="short").get_data(as_text=True).lower()
    assert set_password(member, link).status_code == 302
