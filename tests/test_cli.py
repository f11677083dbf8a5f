"""Operator commands: user create / ensure-admin, seed, keys generate."""

from __future__ import annotations

import sqlalchemy as sa

from zi_public.extensions import db
from zi_public.models import AuditEntry, Category, Layanan, Role, User
from zi_public.security.keyring import Keyring
from zi_public.security.passwords import verify_password

GOOD_PASSWORD = "a long enough passphrase"


def test_user_create_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["user", "create", "Budi", "--role", "pengaduan"], input=GOOD_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "created budi (pengaduan)" in result.output
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "budi"))
        assert user.role == Role.PENGADUAN and not user.must_change_password
        assert verify_password(user.password_hash, GOOD_PASSWORD)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create"))
        assert entry.actor == "cli" and entry.target_id == str(user.id)


def test_user_create_refuses_bad_requests(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "create", "x", "--role", "root"], input=GOOD_PASSWORD + "\n").exit_code == 2
    weak = runner.invoke(args=["user", "create", "budi", "--role", "skm"], input="short\n")
    assert weak.exit_code == 1 and "password rejected" in weak.output
    empty = runner.invoke(args=["user", "create", "budi", "--role", "skm"], input="")
    assert empty.exit_code == 1
    assert runner.invoke(args=["user", "create", "budi", "--role", "skm"], input=GOOD_PASSWORD + "\n").exit_code == 0
    taken = runner.invoke(args=["user", "create", "BUDI", "--role", "skm"], input=GOOD_PASSWORD + "\n")
    assert taken.exit_code == 1 and "taken" in taken.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_ensure_admin_creates_one_admin_once(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["user", "ensure-admin"])
    assert first.exit_code == 0 and "password:" in first.output
    password = first.output.split("password:")[1].split()[0]
    second = runner.invoke(args=["user", "ensure-admin"])
    assert "nothing to do" in second.output and "password:" not in second.output
    with app.app_context():
        admins = list(db.session.scalars(sa.select(User).where(User.role == Role.ADMIN)))
        assert len(admins) == 1 and admins[0].must_change_password
        assert verify_password(admins[0].password_hash, password)


def test_seed_is_idempotent_and_keeps_edits(app):
    runner = app.test_cli_runner()
    assert "11 categories" in runner.invoke(args=["seed"]).output
    with app.app_context():
        layanan = db.session.scalar(sa.select(Layanan).where(Layanan.code == "pbg"))
        layanan.name = "PBG (diubah admin)"
        db.session.commit()
    assert "0 categories" in runner.invoke(args=["seed"]).output
    with app.app_context():
        assert db.session.scalar(sa.select(Layanan.name).where(Layanan.code == "pbg")) == "PBG (diubah admin)"
        assert db.session.scalar(sa.select(sa.func.count(Category.id))) == 11
        assert db.session.scalar(sa.select(Layanan).where(Layanan.code == "pbg")).bidang.code == "perizinan-b"


def test_keys_generate_prints_usable_secrets(app):
    output = app.test_cli_runner().invoke(args=["keys", "generate"]).output
    values = dict(line.split("=", 1) for line in output.splitlines() if line.startswith("ZI_"))
    assert set(values) == {"ZI_SECRET_KEY", "ZI_DATA_KEYS", "ZI_HASH_KEY"}
    assert Keyring.parse(values["ZI_DATA_KEYS"]).primary
    assert len(values["ZI_SECRET_KEY"]) >= 48
