"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request

from zi_public.security.anonymity import is_reporter_path

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Paths whose pages must never be cached (staff area, login, anything personal).
NO_STORE_PREFIXES = ("/internal", "/auth", "/api/")
#: Requests whose answer is never cached either, wherever they go: the answer to a submitted form shows
#: what was submitted (a refused complaint form re-rendered with name, email, phone and NIK, a 429 or an
#: expired-token page that keeps the text). A GET page that shows a case or a code sets no-store itself.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


#: Sent with every response that does not set its own value.
DEFAULT_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
)
#: Added in production only: HSTS on plain http development is a trap.
PRODUCTION_HEADERS = (("Strict-Transport-Security", "max-age=63072000; includeSubDomains"),)


def init_security_headers(app: Flask) -> None:
    # Decided once per app (every response pays for this hook): names lower-cased for the comparison.
    defaults = DEFAULT_HEADERS + (PRODUCTION_HEADERS if app.config["ENV"] == "production" else ())
    missing_unless_set = tuple((name.lower(), name, value) for name, value in defaults)

    @app.after_request
    def set_headers(response: Response) -> Response:
        headers = response.headers
        present = {name.lower() for name in headers.keys()}
        for lowered, name, value in missing_unless_set:
            if lowered not in present:
                headers.add(name, value)
        if request.method not in SAFE_METHODS or request.path.startswith(NO_STORE_PREFIXES):
            headers["Cache-Control"] = "no-store"
        if is_reporter_path(request.path):
            # A whistle-blower's page: nothing kept in a shared browser's cache, no address sent onwards.
            headers["Cache-Control"] = "no-store"
            headers["Referrer-Policy"] = "no-referrer"
        return response
