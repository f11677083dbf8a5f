"""Refuse input no person types: NUL bytes break PostgreSQL text columns and hide tricks.

A NUL in the path, the query string or a form body is refused with 400 before any view runs — except the
form body of a view marked `@checks_every_field`: its form refuses unreadable text (zi_public.rules.text,
NUL included) field by field, so the person sees the page again with a message beside the field and
everything else they typed still there. A JSON body is the API's to check (its 400 names the field).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, abort, current_app, request

View = TypeVar("View", bound=Callable[..., object])


def checks_every_field(view: View) -> View:
    """Mark a view whose form checks every field it reads for unreadable text before anything touches the
    database: the input guard lets a NUL in its form body through to that check."""
    view.checks_every_field = True  # type: ignore[attr-defined]
    return view


def _has_nul(values) -> bool:  # noqa: ANN001 - a werkzeug MultiDict
    return any("\x00" in key or "\x00" in value for key, value in values.items(multi=True))


def _form_checks_fields() -> bool:
    view = current_app.view_functions.get(request.endpoint or "")
    return getattr(view, "checks_every_field", False)


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
            and not _form_checks_fields()
            and _has_nul(request.form)
        ):
            abort(400)
