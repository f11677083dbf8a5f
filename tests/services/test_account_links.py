"""Set-password links at the service level: single use, the two-person rule in the database too."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tests.factories import make_user
from zi_public.models import AccountLink, OutboxMail, Role
from zi_public.rules.account_approval import LinkState, Refusal
from zi_public.security.passwords import verify_password
from zi_public.services import account_links

NEW_PASSWORD = "a brand new passphrase 42"


def token_of(db, address: str) -> str:
    mail = db.session.scalars(sa.select(OutboxMail).order_by(OutboxMail.id.desc())).first()
    assert address in mail.recipients
    return re.search(r"/auth/sandi/(\S+)", mail.body).group(1)


def test_a_link_works_once_and_stores_no_token(db):
    admin = make_user(role=Role.ADMIN, username="adm")
    member = make_user(role=Role.SKM, username="umi", email="umi@example.id")
    issued = account_links.request_reset(admin, member)
    assert issued.mailed and issued.requester_code is None
    token = token_of(db, "umi@example.id")
    assert token not in (issued.link.token_hash or "")
    assert account_links.lookup(token).state == LinkState.USABLE
    account_links.use(token, NEW_PASSWORD)
    assert verify_password(member.password_hash, NEW_PASSWORD)
    with pytest.raises(account_links.LinkError) as refused:
        account_links.use(token, "another passphrase 77")
    assert refused.value.state == LinkState.USED
    assert verify_password(member.password_hash, NEW_PASSWORD)
    notice = account_links.take_login_notice(member)
    assert notice is not None and notice.requested_by == "adm" and notice.approved_by is None
    assert account_links.take_login_notice(member) is None


def test_an_approval_is_claimed_once_and_never_by_the_requester(db):
    admin, second = make_user(role=Role.ADMIN, username="adm"), make_user(role=Role.ADMIN, username="adm2")
    pimpinan = make_user(role=Role.PIMPINAN, username="kepala")
    member = make_user(role=Role.UPG, username="wati")
    issued = account_links.request_reset(admin, member)
    assert issued.requester_code and not issued.mailed
    for who, refusal in ((admin, Refusal.OWN_REQUEST), (pimpinan, Refusal.NOT_AN_APPROVER)):
        with pytest.raises(account_links.LinkError) as refused:
            account_links.approve(who, issued.link)
        assert refused.value.refusal == refusal
    url = account_links.approve(second, issued.link)
    assert "/auth/sandi/" in url
    with pytest.raises(account_links.LinkError) as refused:
        account_links.approve(second, issued.link)
    assert refused.value.refusal == Refusal.NOTHING_PENDING
    assert account_links.pending_approvals() == []


def test_the_database_refuses_a_link_approved_by_its_requester(db):
    admin = make_user(role=Role.ADMIN, username="adm")
    member = make_user(role=Role.UPG, username="wati")
    link = account_links.request_reset(admin, member).link
    with pytest.raises(IntegrityError):
        db.session.execute(sa.update(AccountLink).where(AccountLink.id == link.id).values(approved_by_id=admin.id))
    db.session.rollback()
