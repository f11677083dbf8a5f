"""Staff accounts: a name taken by a concurrent request is the same refusal as one taken before."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import TEST_PASSWORD
from zi_public.models import Role, User
from zi_public.services import accounts


def test_a_name_taken_by_a_concurrent_request_is_refused_and_the_request_goes_on(db):
    # Simulates another admin's insert landing between the service's look-up and its flush.
    with db.session.no_autoflush:
        db.session.add(User(username="budi", role=Role.SKM, password_hash="x", full_name="Other"))
        with pytest.raises(accounts.AccountError):
            accounts.create_user("test", "Budi", Role.PENGADUAN, TEST_PASSWORD)
    db.session.commit()
    assert db.session.execute(sa.select(User.username, User.role)).all() == [("budi", Role.SKM)]


@pytest.mark.parametrize(
    ("typed", "problem"), [("ab", "length"), ("budi santoso", "characters"), ("büdi", "characters")]
)
def test_the_service_refuses_a_username_the_forms_would_and_saves_nothing(db, typed, problem):
    with pytest.raises(accounts.AccountError, match=rf"not allowed \({problem}\)"):
        accounts.create_user("test", typed, Role.PENGADUAN, TEST_PASSWORD)
    assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
