"""Operator commands: user create / ensure-admin, seed, keys generate."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from blueprints.internal.forms import UserCreateForm
from zi_public.extensions import db
from zi_public.models import AuditEntry, Category, Layanan, Role, User
from zi_public.security.keyring import Keyring
from zi_public.security.passwords import verify_password

GOOD_PASSWORD = "a long enough passphrase"
RULES = {
    "short": "At least 12 characters.",
    "long": "At most 256 characters.",
    "username": "Must not contain the username.",
    "simple": "At least 6 different characters.",
}


def test_user_create_reads_the_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["user", "create", "Budi", "--role", "pengaduan"], input=GOOD_PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "created budi (pengaduan)" in result.stdout
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.username == "budi"))
        assert user.role == Role.PENGADUAN and user.must_change_password
        assert verify_password(user.password_hash, GOOD_PASSWORD)
        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create"))
        assert entry.actor == "cli" and entry.target_id == str(user.id)


def test_a_created_member_chooses_a_new_password_at_first_sign_in(app, client):
    """As the first admin is: the operator typed the password, so it is not the member's own yet."""
    runner = app.test_cli_runner()
    assert runner.invoke(args=["user", "create", "ani", "--role", "pengaduan"], input=GOOD_PASSWORD).exit_code == 0
    response = client.post("/auth/login", data={"username": "ani", "password": GOOD_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/password")
    assert client.get("/internal/").headers["Location"].endswith("/auth/password")  # nothing else until then
    page = client.get("/auth/password").get_data(as_text=True)
    assert "Ganti dengan kata sandi yang hanya Anda ketahui sebelum melanjutkan" in page


def test_user_create_says_the_password_rules_before_reading_it(app):
    result = app.test_cli_runner().invoke(args=["user", "create", "budi", "--role", "skm"], input=GOOD_PASSWORD)
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == "Password rules: " + " ".join(RULES.values())
    assert "Password rules" not in result.stdout  # a script reading stdout gets the outcome only


def test_the_help_gives_the_configured_password_rules(app):
    runner = app.test_cli_runner()
    text = " ".join(runner.invoke(args=["user", "create", "--help"]).output.split())
    assert "Password rules: " + " ".join(f"- {rule}" for rule in RULES.values()) in text
    assert "change the password at first login" in text
    app.config["PASSWORD_MIN_LENGTH"] = 16  # the rules come from the configuration, never a copy of it
    assert "- At least 16 characters." in runner.invoke(args=["user", "create", "--help"]).output
    refused = runner.invoke(args=["user", "create", "budi", "--role", "skm"], input="fifteen chars!!")
    assert "rule not met: At least 16 characters." in refused.output


@pytest.mark.parametrize(
    ("password", "broken"),
    [
        ("short", ["short", "simple"]),
        ("abcdefghijk", ["short"]),
        ("x" * 250 + "abcdefg", ["long"]),
        ("my name is budi, ok?", ["username"]),
        ("My name is BUDI, ok?", ["username"]),
        ("abababababababab", ["simple"]),
        ("", ["short", "simple"]),
    ],
)
def test_a_refused_password_names_the_rules_it_breaks(app, password, broken):
    result = app.test_cli_runner().invoke(args=["user", "create", "budi", "--role", "skm"], input=password + "\n")
    assert result.exit_code == 1
    error = result.output.split("Error: ", 1)[1]
    assert error.startswith("password rejected, rule" + ("s" if len(broken) > 1 else "") + " not met")
    assert [key for key, rule in RULES.items() if rule in error] == broken
    assert "Nothing was created." in error
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0


ROLE = ["--role", "pengaduan"]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["a b", *ROLE], GOOD_PASSWORD, "use 3 to 64 letters, digits, dots, underscores or hyphens"),
        (["ab", *ROLE], GOOD_PASSWORD, "use 3 to 64"),
        (["x" * 65, *ROLE], GOOD_PASSWORD, "use 3 to 64"),
        (["bü dï", *ROLE], GOOD_PASSWORD, "use 3 to 64"),
        (["ani\x1b[2J", *ROLE], GOOD_PASSWORD, "use 3 to 64"),
        (["ani", *ROLE, "--name", "x" * 121], GOOD_PASSWORD, "At most 120 characters (now 121)"),
        (["ani", *ROLE, "--name", "Ani\x07"], GOOD_PASSWORD, "unreadable characters"),
        (["ani", *ROLE, "--name", "Ani\nBudi"], GOOD_PASSWORD, "one line"),
        (["ani", *ROLE], b"\xff\xfe" + GOOD_PASSWORD.encode(), "the password is not UTF-8 text"),
        (["ani", "--role"], GOOD_PASSWORD, "requires an argument"),
        (["ani", "--role", "root"], GOOD_PASSWORD, "'root' is not one of"),
        (["ani"], GOOD_PASSWORD, "Missing option '--role'"),
    ],
)
def test_user_create_refuses_hostile_input_and_creates_nothing(app, args, stdin, message):
    result = app.test_cli_runner().invoke(args=["user", "create", *args], input=stdin)
    assert result.exit_code in (1, 2) and isinstance(result.exception, SystemExit), result.output
    assert message in " ".join(result.output.split())
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 0
        assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "user.create")) is None


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("budi", True),
        (" Budi.S ", True),  # blanks and capitals are forgiven: the account is "budi.s"
        ("petugas_01-a", True),
        ("abc", True),
        ("x" * 64, True),
        ("ab", False),
        ("x" * 65, False),
        ("a b", False),
        ("<script>", False),
        ("büdi", False),
        ("budi\x1b[2J", False),
        ("١٢٣٤", False),  # Arabic-Indic digits are not the digits of a username
    ],
)
def test_user_create_and_the_admins_account_form_accept_the_same_usernames(app, typed, accepted):
    """One rule (accounts.username_problem) for the command line and the admin's page."""
    result = app.test_cli_runner().invoke(args=["user", "create", typed, *ROLE], input=GOOD_PASSWORD)
    assert (result.exit_code == 0) is accepted, result.output
    with app.test_request_context():
        form = UserCreateForm(formdata=MultiDict({"username": typed, "role": "skm"}), meta={"csrf": False})
        assert form.validate() is accepted, form.errors


def test_user_create_keeps_a_full_name_as_typed(app):
    args = ["user", "create", "ani", "--role", "pengaduan", "--name", "  Ani Rahayu, S.H.  "]
    assert app.test_cli_runner().invoke(args=args, input=GOOD_PASSWORD).exit_code == 0
    with app.app_context():
        assert db.session.scalar(sa.select(User.full_name).where(User.username == "ani")) == "Ani Rahayu, S.H."


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
