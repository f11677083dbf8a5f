"""Open redirects made impossible: only local paths are followed."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next(target: str | None, fallback: str) -> str:
    """`target` if it is a path on this site, else `fallback`."""
    if not target:
        return fallback
    target = target.strip()
    # Browsers treat backslashes as slashes and ignore tabs/newlines inside URLs.
    if any(ch in target for ch in "\\\t\r\n") or not target.startswith("/") or target.startswith("//"):
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return fallback
    return target
