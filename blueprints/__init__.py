"""HTTP layer: thin blueprints that parse, authorize, call one service and respond.

`register_all` is the one place blueprints are wired together: each service package brings its public
blueprint, its staff blueprint (nested under the internal area, so the internal guard applies) and its
API blueprint (nested under /api/v1, so the JSON error format applies). Service packages never import
each other or the internal/api packages' views.
"""

from flask import Flask

from blueprints import gratifikasi, pengaduan, skm, wbs
from zi_public.extensions import csrf

#: Each service package and the URL prefix of its public, staff and API blueprints.
SERVICES = ((pengaduan, "/pengaduan"), (wbs, "/wbs"), (gratifikasi, "/gratifikasi"), (skm, "/skm"))


_nested = False


def _nest_services() -> None:
    """Hang each service's staff and API blueprints under internal/ and api/ (once per process:
    blueprints are module-level objects, and a registered blueprint cannot be changed)."""
    global _nested
    if _nested:
        return
    from blueprints.api import bp as api_bp
    from blueprints.internal import bp as internal_bp

    for service, prefix in SERVICES:
        internal_bp.register_blueprint(service.staff_bp, url_prefix=prefix)
        api_bp.register_blueprint(service.api_bp, url_prefix=prefix)
        csrf.exempt(service.api_bp)  # the API uses no cookies, so there is nothing to forge
    _nested = True


def register_all(app: Flask) -> None:
    from blueprints.api import bp as api_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.internal import bp as internal_bp
    from blueprints.kiosk import bp as kiosk_bp
    from blueprints.public import bp as public_bp

    _nest_services()
    for service, prefix in SERVICES:
        app.register_blueprint(service.bp, url_prefix=prefix)
    app.register_blueprint(gratifikasi.benturan_bp, url_prefix="/benturan-kepentingan")

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(internal_bp, url_prefix="/internal")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
