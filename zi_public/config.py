"""Configuration: class defaults, then instance/config.py, then ZI_* environment, then the caller's mapping."""

from __future__ import annotations

import base64
import json
import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

PROJECT_ROOT = Path(__file__).resolve().parent.parent

#: Settings that must never be guessed in production: start-up stops without them.
SECRET_SETTINGS = ("SECRET_KEY", "DATA_KEYS", "HASH_KEY")
DEV_SECRETS_FILE = "dev-secrets.json"


class ConfigError(RuntimeError):
    """The configuration cannot be used; the message says what to set."""


class DefaultConfig:
    ENV = "development"
    DATABASE_URL: str | None = None  # default: SQLite file in instance/
    SECRET_KEY: str | None = None
    DATA_KEYS: str | None = None  # "kid:base64key,kid2:base64key" — first one encrypts
    HASH_KEY: str | None = None  # keyed hash of access codes and receipts; never rotate
    UPLOAD_DIR: str | None = None  # default: instance/uploads
    # The audit chain's anchor file (services/audit_anchor.py), default instance/audit-anchor.jsonl: put it
    # where a database writer cannot rewrite it; one shared path when several hosts serve the app.
    AUDIT_ANCHOR: str | None = None
    SMTP_URL: str | None = None
    # The public address mails, QR codes and printed receipts link to (e.g. https://zi.magelangkota.go.id);
    # never taken from the request's Host. Required in production; see zi_public/links.py.
    BASE_URL: str | None = None
    MAIL_FROM = "ZI Public <no-reply@localhost>"
    SMTP_TIMEOUT_SECONDS = 15.0  # one SMTP conversation gives up after this; the outbox tries again later
    # The mail outbox (`flask mail send`): retry after 1, 2, 4 … minutes up to the cap; after the last
    # attempt the mail is marked failed and shown to admins. A claimed mail is one sender's for the lease
    # (a sender that dies mid-send leaves it to be retried when the lease ends); keep it above the timeout.
    OUTBOX_RETRY_BASE_SECONDS = 60
    OUTBOX_RETRY_MAX_SECONDS = 3600
    OUTBOX_MAX_ATTEMPTS = 12
    OUTBOX_LEASE_SECONDS = 300
    OUTBOX_BATCH_SIZE = 100
    OUTBOX_POLL_SECONDS = 10.0  # `mail send --loop`: pause between rounds when nothing is due
    OUTBOX_FAILING_ATTEMPTS = 3  # admins see a still-pending mail once it failed this often

    SITE_NAME = "DPMPTSP Kota Magelang"
    SITE_OWNER = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu Kota Magelang"

    # Requests: five 10 MB attachments plus the form itself.
    MAX_CONTENT_LENGTH = 55 * 1024 * 1024
    UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    # Images are decoded to check them, so pixels (not bytes) are what a request costs: a 2 KB WebP can
    # announce 7000 x 7000. Per file: 52 MP takes the largest common phone photo (50 MP sensors: 8160 x 6120,
    # 8192 x 6144); 108/200 MP modes are opt-in and refused with a clear message. Per submission: the
    # pixels actually decoded, a JPEG counted at its 1/8 draft scale (5 x 50 MP JPEGs spend ~4 MP), a PNG or
    # GIF in full, a WebP four times (its decoder holds ~15 bytes a pixel): 24 MP bounds the worst accepted
    # submission to ~0.4 s and ~95 MB of memory, against 6.5 s and 650 MB before (tests/bench/uploads.py).
    UPLOAD_MAX_PIXELS = 52_000_000
    UPLOAD_PIXEL_BUDGET = 24_000_000

    # Engine options; a server database also gets pool_pre_ping (below), a local SQLite file has no
    # connection to lose and would pay a query per request for it.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}

    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_LOGIN = "10 per minute"
    RATELIMIT_API_PENGADUAN_POST = "20 per hour"
    RATELIMIT_API_PENGADUAN_GET = "60 per minute"
    API_MAX_CONTENT_LENGTH = 256 * 1024
    RATELIMIT_KIOSK = "60 per hour"  # per registered device: the whole hall shares one address
    # SKM responses *filed* per kiosk device. A respondent needs a minute or more for the twelve screens, so a
    # queue at one kiosk stays under these; someone tapping faces to tilt a quarter's IKM is held to them.
    RATELIMIT_KIOSK_SKM = "3 per minute;30 per hour"
    # Complaints *filed* through the web form per client address (refused submissions do not count). A
    # service hall's Wi-Fi, an office network or a mobile carrier's CGNAT puts many citizens behind one
    # address; the office receives a few complaints a day, so 30 an hour lets a full hall file at its busiest
    # while a flood from one address stays at 30 junk cases an hour.
    RATELIMIT_PUBLIC_FORM = "30 per hour"
    # The reporter's rating and reply (which reopens the case), per looked-up complaint, not per address:
    # a shared address never blocks another reporter, and a looked-up case cannot be spammed.
    RATELIMIT_PUBLIC_RATING = "10 per hour"
    RATELIMIT_PUBLIC_REPLY = "5 per hour"
    # Public figure downloads (xlsx, CSV) per address: each one runs the recap queries.
    RATELIMIT_PUBLIC_DOWNLOAD = "10 per minute;100 per hour"

    KIOSK_IDLE_SECONDS = 90
    # The last seconds of that wait show a countdown with a "Lanjutkan" button (none when the wait is shorter).
    KIOSK_IDLE_WARNING_SECONDS = 20
    KIOSK_PAPER_MM = 80  # thermal receipt width: 58 or 80
    KIOSK_SKM_THANKS_SECONDS = 10  # the SKM thank-you page, then back to the start page

    WTF_CSRF_TIME_LIMIT = 4 * 3600

    SESSION_COOKIE_NAME = "zi_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = timedelta(hours=8)
    REMEMBER_COOKIE_DURATION = timedelta(days=1)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    LANGUAGES = ("id", "en")

    # Staff login: back-off starts after this many consecutive failures.
    LOGIN_FREE_ATTEMPTS = 5
    LOGIN_LOCKOUT_BASE = timedelta(minutes=1)
    LOGIN_LOCKOUT_MAX = timedelta(hours=1)
    # The per-account ceiling (rules/lockout.py): after this many failures from anywhere, addresses the
    # account never signed in from are locked too; the officer's own addresses stay open.
    LOGIN_ACCOUNT_FREE_ATTEMPTS = 20
    # Failures from an address the account never signed in from are forgotten after this quiet time.
    LOGIN_FAILURE_MEMORY = timedelta(days=1)
    PASSWORD_MIN_LENGTH = 12
    # A set-password link (new account, admin's reset) works once, for this long after it is sent or approved.
    ACCOUNT_LINK_TTL = timedelta(hours=24)
    # argon2id, RFC 9106 "second recommended" profile (64 MiB, 3 passes). Tests use a cheap one.
    PASSWORD_HASH_PARAMS: dict[str, int] = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}

    PAGE_SIZE = 25

    # Pengaduan clocks (SP4N-LAPOR!, Perpres 76/2013); see zi_public/rules/pengaduan.py.
    PENGADUAN_VERIFY_DAYS = 3
    PENGADUAN_FOLLOWUP_DAYS = 5
    PENGADUAN_REPLY_DAYS = 10
    PENGADUAN_SETTLE_DAYS = 60
    PENGADUAN_ACCEPT_DAYS = 30
    PENGADUAN_MAX_ATTACHMENTS = 5
    PENGADUAN_TEAM_EMAILS: tuple[str, ...] = ()  # new-case and digest mails

    # WBS (issue 8): the team's clocks in working days, counted from the day a report arrives (the office's
    # SOP may shorten them); files per report or reply; how long a receipt opens the status page.
    WBS_FIRST_ANSWER_DAYS = 3
    WBS_TELAAH_DAYS = 14
    WBS_MAX_ATTACHMENTS = 5
    WBS_REPORTER_SESSION_MINUTES = 15
    # Hours an approved request to open a sealed identity lets its requester read it (services/wbs/unseal.py).
    WBS_UNSEAL_VALID_HOURS = 24
    # Retention (`flask --app wsgi wbs purge`): a closed report is deleted this many years after closed_on
    # (WBS_RETENTION_DAYS, when set, counts days instead), the team warned WBS_PURGE_WARNING_DAYS before.
    WBS_RETENTION_YEARS = 5
    WBS_RETENTION_DAYS: int | None = None
    WBS_PURGE_WARNING_DAYS = 30
    # Reports filed per client (web form and API alike) and receipt look-ups: a receipt has 84 random bits,
    # so the look-up limit is about keeping the service up, not about odds; one neutral answer all the same.
    RATELIMIT_WBS_FILE = "10 per hour"
    RATELIMIT_WBS_STATUS = "10 per minute;60 per hour"
    RATELIMIT_WBS_REPLY = "20 per hour"
    # SKM survey responses *stored* through the web form per client address (a refused page is corrected, not
    # counted). Respondents in the service hall share its Wi-Fi, so an hour allows a busy hall; the minute and
    # day limits keep one address from tilting a quarter's IKM (a few hundred responses) with a burst.
    RATELIMIT_SKM_SURVEY = "5 per minute;30 per hour;150 per day"
    # The survey API per client address: every POST counts (as for POST /pengaduan); the form description is cheap.
    RATELIMIT_API_SKM_POST = "20 per hour"
    RATELIMIT_API_SKM_FORM = "60 per minute"

    # Gratifikasi and benturan kepentingan (issue 10), in working days on the shared work calendar. The office's
    # own deadline for reporting a gift to its UPG (shorter than Pasal 12C's 30 days, shown beside it); the UPG's
    # own deadline for forwarding a report to KPK (agency practice: 10). Files per report.
    GRATIFIKASI_OFFICE_DAYS = 7
    GRATIFIKASI_FORWARD_DAYS = 10
    GRATIFIKASI_MAX_ATTACHMENTS = 5
    # Reports and declarations *filed* through the web forms per client address (a refused page is corrected,
    # not counted); the API counts every POST. Status look-ups per address.
    RATELIMIT_GRATIFIKASI_FORM = "20 per hour"
    RATELIMIT_API_GRATIFIKASI_POST = "20 per hour"
    RATELIMIT_GRATIFIKASI_STATUS = "10 per minute;60 per hour"
    # GET /gratifikasi/tenggat, the form's live deadline panel: the script asks after each pause in typing, so
    # generous; over it the panel says so and the form's "Hitung tenggat" button works out the same panel.
    RATELIMIT_GRATIFIKASI_DEADLINE = "60 per minute"
    # GET /api/v1/gratifikasi/pedoman: the regulation in force on a date (cheap, public, cacheable by clients).
    RATELIMIT_API_GRATIFIKASI_GUIDE = "60 per minute"


class ProductionOverrides:
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config in order of precedence and check that it is usable."""
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("ZI")
    if overrides:
        app.config.update(overrides)
    if app.config["ENV"] == "production":
        app.config.from_object(ProductionOverrides)
        if overrides:  # an explicit mapping still wins, e.g. in tests of production mode
            app.config.update(overrides)
        missing = [k for k in SECRET_SETTINGS if not app.config.get(k)]
        if missing:
            names = ", ".join(f"ZI_{k}" for k in missing)
            raise ConfigError(
                f"ZI_ENV=production but {names} is not set. Generate values with "
                "`flask --app wsgi keys generate` and pass them as environment variables."
            )
        if not app.config.get("BASE_URL"):
            raise ConfigError(
                "ZI_ENV=production but ZI_BASE_URL is not set. Set it to the public address of the site "
                "(e.g. https://zi.magelangkota.go.id): mails, QR codes and receipts link to it."
            )
    else:
        _fill_dev_secrets(app)
    _derive_paths(app)


def _fill_dev_secrets(app: Flask) -> None:
    """Development: generate missing secrets once into instance/ and reuse them."""
    if all(app.config.get(k) for k in SECRET_SETTINGS):
        return
    path = Path(app.instance_path) / DEV_SECRETS_FILE
    stored: dict[str, str] = {}
    if path.exists():
        try:
            stored = json.loads(path.read_text())
        except (ValueError, OSError) as exc:
            raise ConfigError(f"{path} is unreadable ({exc}); fix it or delete it to generate new secrets") from exc
        if not isinstance(stored, dict):
            raise ConfigError(f"{path} must hold a JSON object; fix it or delete it to generate new secrets")
    changed = False
    for key in SECRET_SETTINGS:
        if key not in stored:
            stored[key] = generate_secret(key)
            changed = True
    if changed:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # instance/: the keys and the SQLite file
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            json.dump(stored, fh, indent=2)
    for key in SECRET_SETTINGS:
        if not app.config.get(key):
            app.config[key] = stored[key]


def generate_secret(key: str) -> str:
    """A fresh value for one of SECRET_SETTINGS, in the format that setting expects."""
    if key == "DATA_KEYS":
        return f"k{secrets.token_hex(3)}:{base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()}"
    return secrets.token_urlsafe(48)


def _derive_paths(app: Flask) -> None:
    instance = Path(app.instance_path)
    url = app.config.get("DATABASE_URL") or f"sqlite:///{instance / 'zi_public.sqlite3'}"
    if url.startswith("postgres://"):  # the form many hosts hand out
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    app.config["DATABASE_URL"] = url
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    if not url.startswith("sqlite"):  # a server restart or a dropped connection: test it before use
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {"pool_pre_ping": True, **app.config["SQLALCHEMY_ENGINE_OPTIONS"]}
    app.config["UPLOAD_DIR"] = str(app.config.get("UPLOAD_DIR") or instance / "uploads")
    app.config["AUDIT_ANCHOR"] = str(app.config.get("AUDIT_ANCHOR") or instance / "audit-anchor.jsonl")
