"""Rate limits: the limiter bound to the app, and a loud warning where its counts cannot hold."""

from __future__ import annotations

import logging

from flask import Flask

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
