"""The whistle-blower's requests leave no address, browser or moment behind (DESIGN: WBS anonymity).

- `is_reporter_path`: the public WBS pages (/wbs, /wbs/…) and API (/api/v1/wbs, /api/v1/wbs/…); the staff
  pages under /internal/wbs are not the reporter's.
- `wbs_client_key`: the rate-limit key for those routes. Limits must still count per client (receipt
  guessing, floods), but the key lands in the limiter's storage (Redis in production) and in its "exceeded"
  log line: it is a keyed hash of the address and the day (the key rotates daily: two days' keys of one
  address cannot be linked without ZI_HASH_KEY), never the address.
- `init_log_privacy`: the access logs of the development server (werkzeug) and of gunicorn drop every line
  of a reporter's request: such a line holds the address, the user agent and the moment.
"""

from __future__ import annotations

import logging
import re

from flask import Flask

from zi_public.localtime import today_jakarta
from zi_public.security.client import client_key
from zi_public.security.keyring import keyed_hash

RATE_LIMIT_PURPOSE = "wbs-rate-limit"
#: "/wbs" or "/api/v1/wbs" as a whole path segment, at the start of a path or of the request line's path.
_REPORTER_PATH = re.compile(r"^/(?:api/v1/)?wbs(?:/|$)")
#: The same inside a log line: after a space or quote (the request line), or after a host (a referrer).
_REPORTER_PATH_IN_LOG = re.compile(r"(?:^|[\s\"'])(?:https?://[^/\s\"']+)?/(?:api/v1/)?wbs(?=[/?#\s\"']|$)")
#: Loggers that write one line per request (address, time, request line, user agent).
ACCESS_LOGGERS = ("werkzeug", "gunicorn.access")


def is_reporter_path(path: str) -> bool:
    """Whether `path` is one of the whistle-blower's pages or API answers."""
    return bool(_REPORTER_PATH.match(path))


def wbs_client_key() -> str:
    """The rate-limit key of a whistle-blower's request: a keyed hash of the address and today's date."""
    day = today_jakarta().isoformat()
    return "wbs:" + keyed_hash(f"{day}|{client_key()}", RATE_LIMIT_PURPOSE)[:32]


class DropReporterRequests(logging.Filter):
    """Drop an access-log record whose line names a public WBS path (staff pages under /internal/wbs stay)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            line = record.getMessage()
        except Exception:  # a record that cannot be rendered: let logging report it as usual
            return True
        return not _REPORTER_PATH_IN_LOG.search(line)


_FILTER = DropReporterRequests()


def init_log_privacy(app: Flask) -> None:
    """Attach the filter to the request loggers (once per process: every app shares the loggers)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
