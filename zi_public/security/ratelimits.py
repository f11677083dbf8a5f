"""Rate limits: the limiter bound to the app, and a loud warning where its counts cannot hold."""

from __future__ import annotations

import logging
import time

from flask import Flask
from flask_babel import gettext as _

from zi_public.extensions import limiter

log = logging.getLogger(__name__)

MEMORY_WARNING = (
    "ZI_ENV=production with rate limits kept in memory (ZI_RATELIMIT_STORAGE_URI=%s): every worker process "
    "counts on its own, so with N workers (or hosts) each limit is N times higher and a restart forgets it. "
    "This is only safe with one worker on one host; otherwise set ZI_RATELIMIT_STORAGE_URI=redis://… "
    "(see README, 'Rate limits')."
)


def init_rate_limits(app: Flask) -> None:
    """Bind the limiter; in production, warn at start-up when its storage is per process."""
    limiter.init_app(app)
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    in_memory = storage.startswith("memory:")
    if app.config["ENV"] == "production" and app.config.get("RATELIMIT_ENABLED", True) and in_memory:
        log.warning(MEMORY_WARNING, storage)


def minutes_to_wait() -> int:
    """Whole minutes (at least one) until the limit this request reached lets the next request through."""
    reset_at = limiter.current_limit.reset_at if limiter.current_limit else time.time() + 60
    return max(1, round((reset_at - time.time()) / 60))  # reset_at is a whole second, rounded up


def form_limit_message() -> str:
    """What a public form says when its limit is reached: how long to wait, and that nothing typed is lost."""
    return _("Batas pengiriman tercapai. Coba lagi dalam %(n)d menit; isian Anda tetap ada.", n=minutes_to_wait())
