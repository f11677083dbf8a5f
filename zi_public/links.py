"""Absolute public links (mail, QR codes, printed receipts), built from ZI_BASE_URL only.

Never from the request: the Host header of an API call is chosen by the caller, and a mail written by
the outbox worker has no request at all. Production refuses to start without ZI_BASE_URL
(zi_public/config.py); in development it defaults to the address `flask run` serves,
http://127.0.0.1:5000. ZI_BASE_URL is the address of the application's root (scheme, host, port and
any path prefix), so a path here is the application's own path, e.g. "/pengaduan/status".

Services link through the named helpers below, by path, never by endpoint: they must not depend on
the web layer. A test checks every helper against the blueprints' URL map, so a moved page cannot
leave a dead link in mail.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import current_app

DEFAULT_BASE_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """ZI_BASE_URL without a trailing slash (the development default when it is unset)."""
    return str(current_app.config.get("BASE_URL") or DEFAULT_BASE_URL).rstrip("/")


def absolute(path: str, **query: object) -> str:
    """The public address of the application path `path` ("/..."), with `query` (None values left out)."""
    if not path.startswith("/") or path.startswith("//"):
        raise ValueError(f"an application path starts with one '/': {path!r}")
    arguments = {name: value for name, value in query.items() if value is not None}
    return base_url() + path + ("?" + urlencode(arguments) if arguments else "")


# -- pages that services link to ----------------------------------------------------------------


def pengaduan_status(number: str | None = None) -> str:
    """The reporter's status page; with `number`, its look-up form is filled in (the QR code's target)."""
    return absolute("/pengaduan/status", nomor=number)


def pengaduan_case(case_id: int) -> str:
    """The Tim Pengaduan's page of one case (internal area: signing in is still required)."""
    return absolute(f"/internal/pengaduan/{int(case_id)}")


def set_password(token: str) -> str:
    """The page where a staff member chooses a password with a one-time link (new account, admin's reset)."""
    return absolute(f"/auth/sandi/{token}")


def home() -> str:
    """The public home page."""
    return absolute("/")


def wbs_home() -> str:
    """The whistle-blower's start page (the kiosk's QR code): what WBS is, how to stay anonymous, the form."""
    return absolute("/wbs/")
