"""Error pages in the site's style, JSON errors under /api/; never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from zi_public.extensions import db

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Permintaan tidak dapat diproses"), _("Data yang dikirim tidak lengkap atau tidak sah.")),
        403: (_("Akses ditolak"), _("Anda tidak memiliki hak untuk membuka halaman ini.")),
        404: (_("Halaman tidak ditemukan"), _("Alamat yang Anda buka tidak ada atau sudah dipindahkan.")),
        405: (_("Metode tidak diizinkan"), _("Halaman ini tidak menerima cara pengiriman tersebut.")),
        409: (_("Terjadi bentrokan data"), _("Data yang sama baru saja diubah oleh permintaan lain.")),
        413: (_("Berkas terlalu besar"), _("Ukuran kiriman melebihi batas yang diizinkan.")),
        429: (_("Terlalu banyak permintaan"), _("Mohon tunggu sebentar sebelum mencoba lagi.")),
        500: (_("Terjadi kesalahan"), _("Maaf, terjadi kesalahan di sistem kami. Silakan coba lagi nanti.")),
        503: (_("Layanan sedang sibuk"), _("Silakan coba lagi sebentar lagi.")),
    }


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_response(status: int, detail: str | None = None):  # noqa: ANN201
    title, default_detail = _messages().get(status, _messages()[500 if status >= 500 else 400])
    message = detail or default_detail
    if wants_json():
        return jsonify(error={"code": status, "message": message}), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def init_errorhandlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):  # noqa: ANN202
        return error_response(400, _("Formulir sudah kedaluwarsa atau tidak sah. Muat ulang halaman lalu kirim lagi."))

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # noqa: ANN202
        response = app.make_response(error_response(exc.code or 500))
        # Keep the headers the exception carries (Allow on 405, Retry-After on 429...).
        for name, value in exc.get_headers():
            if name.lower() != "content-type":
                response.headers[name] = value
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc: Exception):  # noqa: ANN202
        if isinstance(exc, HTTPException):
            return http_error(exc)
        log.exception("unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()
        except Exception:  # e.g. the database went away: still answer with our own page
            log.exception("rollback failed after an unhandled error")
        return error_response(InternalServerError.code)
