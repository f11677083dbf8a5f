"""The role decorator and get_case_or_404: the few places authorization lives."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_login import login_user
from werkzeug.exceptions import Forbidden, NotFound

from tests.factories import make_user
from zi_public.models import Role, User
from zi_public.security import permissions
from zi_public.security.permissions import can_read_case, can_write_case, get_case_or_404


@pytest.mark.parametrize(
    ("role", "kind", "reads", "writes"),
    [
        (Role.PENGADUAN, "pengaduan", True, True),
        (Role.PIMPINAN, "pengaduan", True, False),
        (Role.PIMPINAN, "wbs", False, False),  # pimpinan never reads WBS contents
        (Role.ADMIN, "pengaduan", False, False),  # admin reads no case contents at all
        (Role.ADMIN, "wbs", False, False),
        (Role.WBS, "wbs", True, True),
        (Role.WBS, "pengaduan", False, False),
        (Role.UPG, "gratifikasi", True, True),
        (Role.SKM, "gratifikasi", False, False),
        (Role.SKM, "unknown-kind", False, False),
    ],
)
def test_case_access_matrix(role, kind, reads, writes):
    assert can_read_case(role, kind) is reads
    assert can_write_case(role, kind) is writes


def test_get_case_or_404_checks_role_then_existence(app, db, monkeypatch):
    # A stand-in model: the real case models register themselves the same way. The mappers are configured
    # first: configuring WbsReport while "wbs" names the stand-in fails it for the whole process.
    sa.orm.configure_mappers()
    monkeypatch.setitem(permissions.CASE_MODELS, "wbs", User)
    wbs_member = make_user(role=Role.WBS)
    pimpinan = make_user(role=Role.PIMPINAN)
    db.session.commit()
    with app.test_request_context():
        login_user(pimpinan)
        with pytest.raises(Forbidden):
            get_case_or_404("wbs", wbs_member.id)
    with app.test_request_context():
        login_user(wbs_member)
        assert get_case_or_404("wbs", wbs_member.id, for_write=True) is wbs_member
        with pytest.raises(NotFound):
            get_case_or_404("wbs", 987654)
        with pytest.raises(NotFound):
            get_case_or_404("no-such-kind", wbs_member.id)


def test_register_case_model_refuses_unknown_kinds():
    with pytest.raises(ValueError, match="unknown case kind"):
        permissions.register_case_model("pengaduan-typo")(User)
