"""HTTP layer: thin blueprints that parse, authorize, call one service, commit and respond."""

from flask import Flask


def register_all(app: Flask) -> None:
    from blueprints.api import bp as api_bp
    from blueprints.auth import bp as auth_bp
    from blueprints.internal import bp as internal_bp
    from blueprints.kiosk import bp as kiosk_bp
    from blueprints.pengaduan import bp as pengaduan_bp
    from blueprints.public import bp as public_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(auth_bp, url_prefix="/auth")
    app.register_blueprint(internal_bp, url_prefix="/internal")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(pengaduan_bp, url_prefix="/pengaduan")
    app.register_blueprint(kiosk_bp, url_prefix="/kiosk")
