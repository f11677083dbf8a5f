"""Refuse input no person types: NUL bytes break PostgreSQL text columns and hide tricks."""

from __future__ import annotations

from flask import Flask, abort, request


def _has_nul(values) -> bool:  # noqa: ANN001 - a werkzeug MultiDict
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def init_input_guard(app: Flask) -> None:
    @app.before_request
    def refuse_nul_bytes() -> None:
        if "\x00" in request.path or _has_nul(request.args):
            abort(400)
        if (
            request.method in ("POST", "PUT", "PATCH")
            and request.mimetype
            in (
                "application/x-www-form-urlencoded",
                "multipart/form-data",
            )
            and _has_nul(request.form)
        ):
            abort(400)
