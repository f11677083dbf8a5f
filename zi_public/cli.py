"""Flask commands for operators and cron: `flask --app wsgi <group> <command>`."""

from __future__ import annotations

import os
import signal
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context
from flask.cli import AppGroup, ScriptInfo, with_appcontext
from flask_babel import force_locale

from zi_public.config import SECRET_SETTINGS, generate_secret
from zi_public.exports import REPORTS, BadAsOf, WrongPeriodKind
from zi_public.exports.document import LANGUAGES
from zi_public.extensions import db
from zi_public.forms import read_text
from zi_public.localtime import now_utc, today_jakarta
from zi_public.models import Role, User
from zi_public.rules.periods import KINDS, parse_period, period_of
from zi_public.security.keyring import KeyringError, current_keyring
from zi_public.security.passwords import broken_rules, generate_password, password_rules
from zi_public.services import accounts, audit, audit_anchor, backup, outbox
from zi_public.services.keys import rotate_keys
from zi_public.services.pengaduan import stats_aggregates
from zi_public.services.pengaduan.digest import build_digest
from zi_public.services.pengaduan.flow import close_expired
from zi_public.services.pengaduan.notifications import send_digest
from zi_public.services.reference import seed_reference_data
from zi_public.services.reports import export_report
from zi_public.services.wbs import reporter_audit
from zi_public.services.wbs import retention as wbs_retention
from zi_public.services.wbs import stats as wbs_stats  # keeps the WBS figures (ORM events)

user_cli = AppGroup("user", help="Staff accounts.")
audit_cli = AppGroup("audit", help="The audit log.")
keys_cli = AppGroup("keys", help="Secrets and the at-rest encryption keyring.")
sla_cli = AppGroup("sla", help="Pengaduan clocks (for cron).")
mail_cli = AppGroup("mail", help="The mail outbox.")
stats_cli = AppGroup("stats", help="The public statistics page's figures.")
backup_cli = AppGroup("backup", help="Backup and restore of the database and the uploads (SQLite ⇄ PostgreSQL).")
wbs_cli = AppGroup("wbs", help="Whistle-blowing reports (for cron).")


_FULL_NAME_MAX = User.__table__.c.full_name.type.length


def _app_of(ctx: click.Context) -> Flask:
    """The app, also while click formats a help page (the `flask` command has pushed its context by then;
    a test runner has not, but passes the ScriptInfo that loads it)."""
    if has_app_context():
        return current_app._get_current_object()
    return ctx.ensure_object(ScriptInfo).load_app()


def _password_rules(app: Flask) -> dict[str, str]:
    """password_rules of this app's configuration, in English (the language of the commands)."""
    with app.app_context(), force_locale("en"):
        return password_rules(min_length=app.config["PASSWORD_MIN_LENGTH"])


class _UserCreateCommand(click.Command):
    """`user create`, whose help ends with the password rules (the configured minimum included)."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Password rules"):
            for rule in _password_rules(_app_of(ctx)).values():
                formatter.write_text(f"- {rule}")
        super().format_epilog(ctx, formatter)


def _username(ctx: click.Context, param: click.Parameter, value: str) -> str:
    # The admin's account form applies the same rule (accounts.username_problem).
    if accounts.username_problem(value) is not None:
        raise click.BadParameter(
            f"use {accounts.USERNAME_MIN} to {accounts.USERNAME_MAX} letters, digits, dots, underscores or hyphens"
        )
    return accounts.normalize_username(value)


def _read_password() -> str:
    """Asked twice on a terminal; otherwise the first line of stdin, which must be UTF-8 text."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        password = sys.stdin.readline().rstrip("\r\n")
        password.encode("utf-8")  # undecodable bytes arrive as lone surrogates (surrogateescape)
    except UnicodeError as exc:
        raise click.ClickException("the password is not UTF-8 text; nothing was created") from exc
    return password


@user_cli.command("create", cls=_UserCreateCommand)
@click.argument("username", callback=_username)
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", "full_name", default="", help="Full name shown in the internal area.")
def user_create(username: str, role: str, full_name: str) -> None:
    """Create a staff account with its role at once; the member must change the password at first login.

    The password is asked twice on a terminal, or read from the first line of stdin when it is not one.
    """
    full_name, problem = read_text(full_name, limit=_FULL_NAME_MAX, multiline=False, required=False)
    if problem is not None:
        with force_locale("en"):
            raise click.BadParameter(str(problem), param_hint="--name")
    click.echo("Password rules: " + " ".join(_password_rules(current_app).values()), err=True)
    password = _read_password()
    with force_locale("en"):
        broken = broken_rules(password, username=username, min_length=current_app.config["PASSWORD_MIN_LENGTH"])
    if broken:
        raise click.ClickException(
            f"password rejected, {'rules' if len(broken) > 1 else 'rule'} not met: {' '.join(broken)}"
            " Nothing was created."
        )
    try:
        accounts.create_user("cli", username, Role(role), password, full_name=full_name)
    except accounts.AccountError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"created {username} ({role}); a new password is asked for at first sign-in")


@user_cli.command("ensure-admin")
def user_ensure_admin() -> None:
    """Create a first `admin` account if there is none; print its password once."""
    if accounts.count_admins():
        click.echo("an admin account exists; nothing to do")
        return
    password = generate_password()
    accounts.create_user("cli", "admin", Role.ADMIN, password, full_name="Administrator")
    db.session.commit()
    click.echo("=" * 60)
    click.echo("First admin account created. Write the password down: it is shown only once.")
    click.echo("  username: admin")
    click.echo(f"  password: {password}")
    click.echo("You will be asked to choose a new password at first login.")
    click.echo("=" * 60)


@click.command("seed")
@with_appcontext
def seed() -> None:
    """Add missing reference data (categories, bidang, layanan catalogue)."""
    added = seed_reference_data()
    db.session.commit()
    click.echo("seeded: " + ", ".join(f"{n} {k}" for k, n in added.items()))


@audit_cli.command("verify")
def audit_verify() -> None:
    """Check every link of the audit chain, then hold it against the anchor file; exit 1 at the first fault."""
    report = audit.verify_chain()
    click.echo(str(report))
    if not report.ok:
        sys.exit(1)
    anchored = audit_anchor.check_anchor()
    click.echo(str(anchored))
    if not anchored.ok:
        sys.exit(1)


@audit_cli.command("anchor")
def audit_anchor_epoch() -> None:
    """Start a new anchor epoch at the current head (a database filled before anchoring, or a lost anchor file)."""
    report = audit.verify_chain()
    if not report.ok:
        raise click.ClickException(f"the chain itself is broken, nothing anchored: {report}")
    epoch = audit_anchor.start_epoch_at_commit("audit anchor")
    audit.record("cli", "audit.anchor_epoch", target_type="audit_anchor", target_id=epoch)
    db.session.commit()
    click.echo(f"new anchor epoch {epoch} in {audit_anchor.anchor_path()}")


@keys_cli.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt all stored values under the first key of ZI_DATA_KEYS."""
    try:
        counts = rotate_keys(current_keyring(), upload_dir=Path(current_app.config["UPLOAD_DIR"]))
    except KeyringError as exc:
        db.session.rollback()
        raise click.ClickException(f"nothing was rotated: {exc}") from exc
    db.session.commit()
    for name, n in counts.items():
        click.echo(f"{name}: {n}" if name.endswith("missing") else f"{name}: {n} re-encrypted")


@keys_cli.command("generate")
def keys_generate() -> None:
    """Print fresh values for the secret settings (for a production environment file)."""
    for key in SECRET_SETTINGS:
        click.echo(f"ZI_{key}={generate_secret(key)}")
    click.echo(
        "# To rotate ZI_DATA_KEYS: put a new key first, keep the old ones after it, "
        "then run `flask --app wsgi keys rotate`."
    )


@sla_cli.command("tick")
def sla_tick() -> None:
    """Close complaints whose reply window passed, then queue the team's mail of what is due or overdue."""
    now = now_utc()
    closed = close_expired(now)
    db.session.commit()  # the closing stands even if building the digest fails afterwards
    digest = build_digest(today_jakarta(now))
    outcome = send_digest(digest)
    db.session.commit()
    click.echo(f"closed {len(closed)}; due {len(digest.due)}; overdue {len(digest.overdue)}")
    if outcome == "queued":
        click.echo("digest queued in the mail outbox (delivered by `mail send`)")
    elif outcome == "no_recipients":
        click.echo("digest not sent: no team address (PENGADUAN_TEAM_EMAILS, pengaduan users' email)", err=True)


@mail_cli.command("send")
@click.option("--loop", is_flag=True, help="Keep running as a worker until SIGTERM or Ctrl-C.")
@click.option("--interval", type=click.FloatRange(min=0.1), default=None, help="Seconds between rounds with --loop.")
def mail_send(loop: bool, interval: float | None) -> None:
    """Deliver the pending mail of the outbox once (or, with --loop, keep delivering)."""
    if not loop:
        click.echo(str(outbox.send_pending(commit=db.session.commit)))
        return
    pause = interval or float(current_app.config["OUTBOX_POLL_SECONDS"])
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo(f"mail worker started (every {pause:g} s); stop with SIGTERM or Ctrl-C", err=True)
    try:
        while not stop.is_set():
            try:
                counts = outbox.send_pending(commit=db.session.commit, should_stop=stop.is_set)
            except Exception:  # e.g. the database restarting: log, wait, try again
                db.session.rollback()
                outbox.logger.exception("mail worker round failed")
            else:
                if counts.total:
                    click.echo(str(counts))
                if counts.total and not counts.postponed:
                    continue  # a full batch may have more behind it; an unreachable server gets its pause
            stop.wait(pause)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        db.session.remove()
    click.echo("mail worker stopped", err=True)


def _periods_text(kinds: frozenset[str], day: date) -> str:
    """'a month (2026-11) or a year (2026)': a report's kinds in calendar order, each as its period holding `day`."""
    parts = [f"a {kind} ({period_of(kind, day).code})" for kind in KINDS if kind in kinds]
    return " or ".join(filter(None, [", ".join(parts[:-1]), parts[-1]]))


class _ReportCommand(click.Command):
    """`report`, whose help lists every report of the registry with the periods it covers."""

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        today = today_jakarta()
        with formatter.section("Reports (NAME) and the periods each covers"):
            formatter.write_dl([(name, _periods_text(kinds, today)) for name, (_builder, kinds) in REPORTS.items()])
        super().format_epilog(ctx, formatter)


@click.command("report", cls=_ReportCommand)
@click.argument("name")
@click.option(
    "--period",
    "period_text",
    required=True,
    help="YYYY-MM (month), YYYY-Qn (quarter), YYYY-Sn (semester) or YYYY (year): each report covers "
    "the kinds listed below.",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Show what had been recorded by the end of this day (YYYY-MM-DD); default: the period's end, "
    "or today while the period runs.",
)
@click.option("--lang", type=click.Choice(LANGUAGES), default=LANGUAGES[0], show_default=True, help="Language.")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@with_appcontext
def report(name: str, period_text: str, as_of: datetime | None, lang: str, output: Path) -> None:
    """Write report NAME for a period to an xlsx file."""
    if name not in REPORTS:
        choices = ", ".join(sorted(REPORTS))
        raise click.BadParameter(f"unknown report {name!r}; choose from {choices}", param_hint="NAME")
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    try:
        export = export_report("cli", name, period, as_of=as_of.date() if as_of else None, lang=lang)
    except WrongPeriodKind as exc:
        covers = _periods_text(REPORTS[name][1], period.start)
        raise click.BadParameter(f"{name} covers {covers}, not a {period.kind}", param_hint="--period") from exc
    except BadAsOf as exc:
        raise click.BadParameter(str(exc), param_hint="--as-of") from exc
    # Write beside the target, then rename: a failed run never leaves a half-written report behind.
    partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(export.content)
        os.replace(partial, output)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {output}: {exc.strerror or exc}") from exc
    db.session.commit()
    click.echo(f"wrote {output} ({export.rows} rows)")


@stats_cli.command("rebuild")
def stats_rebuild() -> None:
    """Recount the figures from every complaint (after an upgrade of `holidays`, or rows changed by hand)."""
    stats_aggregates.rebuild(db.session.connection())
    wbs_stats.rebuild(db.session.connection())
    db.session.commit()
    click.echo("pengaduan statistics recounted from the complaints")
    click.echo("wbs figures recounted from the stored reports (purged reports' figures kept)")


@backup_cli.command("create")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
def backup_create(output: Path) -> None:
    """Write the database, the uploads (as stored, encrypted) and the ids of the keys in use to one file."""
    try:
        summary = backup.create_backup(
            output, upload_dir=Path(current_app.config["UPLOAD_DIR"]), keyring=current_keyring()
        )
    except (backup.BackupError, OSError) as exc:
        db.session.rollback()
        raise click.ClickException(f"no backup written: {exc}") from exc
    db.session.commit()  # the backup.create audit entry
    click.echo(f"wrote {output}: {summary}")
    if summary.missing_files:
        click.echo(f"warning: attachment files missing: {', '.join(summary.missing_files)}", err=True)


@backup_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def backup_restore(source: Path) -> None:
    """Load a backup into this empty, migrated database (either backend) and start a new audit anchor epoch."""
    try:
        summary = backup.restore_backup(
            source, upload_dir=Path(current_app.config["UPLOAD_DIR"]), keyring=current_keyring()
        )
    except backup.BackupError as exc:
        db.session.rollback()
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(str(summary))


@wbs_cli.command("audit-flush")
def wbs_audit_flush() -> None:
    """Append the reporter-side WBS events of past days to the audit log, dated the day only (daily, after midnight)."""
    flushed = reporter_audit.flush_days_before(today_jakarta())
    db.session.commit()
    click.echo(str(flushed))


@wbs_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only say what would be warned and purged; change nothing.")
def wbs_purge(dry_run: bool) -> None:
    """Warn the Tim WBS of closed reports coming due, and purge those past retention (daily, for cron)."""
    outcome = wbs_retention.run(today_jakarta(), dry_run=dry_run)
    if dry_run:
        db.session.rollback()
        click.echo(f"dry run: {outcome.summary()}")
        for report_id, day in outcome.warned:
            click.echo(f"would warn: report {report_id}, purged from {day.isoformat()}")
        for report_id in outcome.purged:
            click.echo(f"would purge: report {report_id}")
        return
    db.session.commit()
    deleted = wbs_retention.delete_files(outcome.files)  # only once the rows are gone for good
    click.echo(f"{outcome.summary()}; {deleted} files deleted")


def init_commands(app: Flask) -> None:
    for command in (user_cli, audit_cli, keys_cli, sla_cli, mail_cli, stats_cli, backup_cli, wbs_cli, seed, report):
        app.cli.add_command(command)
