"""Reading JSON API requests: one strict body parser, typed field readers, one JSON error shape.

Every problem becomes an ApiError, which the api blueprint answers as
`{"error": {"code": <HTTP status>, "message": ..., "fields"?: {name: message}}}`.
Field readers collect their problems so that a client learns about every bad field at once:

    body = json_object()
    fields = Fields(body, allowed={"title", "note"})
    title = fields.text("title", required=True, max_length=200)
    note = fields.text("note", max_length=500, multiline=True)
    fields.check()  # raises ApiError(400) listing every bad or unknown field

Unknown fields are refused (400), not ignored: a misspelt optional field would otherwise be
dropped silently and the complaint filed without it.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from flask import current_app, jsonify, request
from flask_babel import gettext as _

from blueprints.api import bp
from zi_public.forms import TEXT_PROBLEM_MESSAGES
from zi_public.rules.text import has_visible_content, text_problem

#: Default cap on an API request body; far above any valid submission, far below the upload limit.
DEFAULT_MAX_BODY = 256 * 1024
MAX_UNKNOWN_LISTED = 20
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: A header token: printable ASCII, inner spaces allowed, none at either end (HTTP trims those anyway).
HEADER_TOKEN_PATTERN = r"^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$"  # noqa: S105 - not a secret
_HEADER_TOKEN = re.compile(HEADER_TOKEN_PATTERN)
#: A client's key that makes a retried POST file nothing new (POST /pengaduan, /gratifikasi, /wbs, /skm): a UUID.
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX = 64


class ApiError(Exception):
    """A request the API refuses; `status` is the HTTP status (4xx), `fields` names bad fields."""

    def __init__(self, status: int, message: str, fields: Mapping[str, object] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = {name: str(text) for name, text in (fields or {}).items()}

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"code": self.status, "message": self.message}
        if self.fields:
            error["fields"] = self.fields
        return {"error": error}


@bp.errorhandler(ApiError)
def api_error(exc: ApiError):  # noqa: ANN201
    """Answer an ApiError with the contract's JSON error."""
    return jsonify(exc.body()), exc.status


def invalid(fields: Mapping[str, object]) -> ApiError:
    """The 400 error for field problems (also used for the service's validation errors)."""
    return ApiError(400, _("Data yang dikirim tidak sah; periksa kolom yang disebutkan."), fields)


def _refuse_constant(name: str) -> float:
    raise ValueError(name)  # NaN and Infinity are not JSON


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _value in pairs]
    if len(set(keys)) != len(keys):
        raise ValueError("duplicate key")  # which one wins differs between parsers: refuse
    return dict(pairs)


def json_object() -> dict[str, Any]:
    """The request body as a JSON object, or ApiError (415 wrong type, 413 too big, 400 not an object)."""
    if request.mimetype != "application/json":
        raise ApiError(415, _("Kirim data sebagai JSON dengan Content-Type: application/json."))
    request.max_content_length = min(
        int(current_app.config.get("API_MAX_CONTENT_LENGTH", DEFAULT_MAX_BODY)),
        int(current_app.config.get("MAX_CONTENT_LENGTH") or DEFAULT_MAX_BODY),
    )
    raw = request.get_data(cache=False)  # over the limit: RequestEntityTooLarge, a JSON 413
    try:
        value = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant, object_pairs_hook=_no_duplicates)
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError covers JSONDecodeError and integers with thousands of digits.
        raise ApiError(400, _("Isi permintaan bukan JSON yang sah (UTF-8, tanpa kunci ganda).")) from None
    if not isinstance(value, dict):
        raise ApiError(400, _("Isi permintaan harus berupa objek JSON."))
    return value


def header_token(name: str, max_length: int) -> str | None:
    """An optional header of printable ASCII up to `max_length` characters; None when absent."""
    if name not in request.headers:
        return None
    value = request.headers.get(name, "")
    if len(value) > max_length or not _HEADER_TOKEN.fullmatch(value):
        raise invalid({name: _("Paling banyak %(n)d karakter ASCII yang dapat dicetak.", n=max_length)})
    return value


def idempotency_key() -> str | None:
    """The request's Idempotency-Key as a filing service's `submission_key`, or None without the header.

    Hashed and prefixed: it fits the 64-character column and can never equal a web form's key. Keys are
    global, not per client, so clients must use random ones.
    """
    key = header_token(IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX)
    return None if key is None else submission_key_for(key)


def submission_key_for(idempotency_key: str) -> str:
    """The stored submission key of an Idempotency-Key."""
    return "api:" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:60]


class Fields:
    """Typed readers over one JSON object; problems are collected until `check()`."""

    def __init__(self, body: Mapping[str, Any], allowed: Iterable[str]) -> None:
        self.body = body
        self.errors: dict[str, object] = {}
        known = set(allowed)
        unknown = [name for name in body if name not in known]
        for name in unknown[:MAX_UNKNOWN_LISTED]:  # a body of 10,000 junk keys gets a short answer
            self.errors[name[:100]] = _("Kolom tidak dikenal.")

    def text(self, name: str, *, required: bool = False, max_length: int, multiline: bool = False) -> str | None:
        """A string field, readable as the web form's (zi_public.rules.text); null, empty or blank counts as
        absent, but only once its length and characters passed (the OpenAPI document states it so)."""
        value = self.body.get(name)
        if value is not None and not isinstance(value, str):
            self.errors[name] = _("Harus berupa teks.")
            return None
        if value is not None and len(value) > max_length:
            self.errors[name] = _("Paling banyak %(n)d karakter.", n=max_length)
            return None
        problem = text_problem(value, multiline=multiline) if value is not None else None
        if problem is not None:
            self.errors[name] = TEXT_PROBLEM_MESSAGES[problem]
            return None
        if value is None or not value.strip():
            if required:
                self.errors[name] = _("Wajib diisi.")
            return None
        if required and not has_visible_content(value):  # only zero-width characters: nothing to read
            self.errors[name] = _("Wajib diisi.")
            return None
        return value

    def formatted(self, name: str, *, max_length: int, pattern: str, message: object) -> str | None:
        """An optional single-line field that, unless absent, is written exactly as `pattern` says (whole
        value, no surrounding spaces); `message` tells what the format is (a lazy string: translated only
        when the value is wrong)."""
        value = self.text(name, max_length=max_length)
        if value is not None and re.fullmatch(pattern, value) is None:
            self.errors[name] = str(message)
            return None
        return value

    def code(self, name: str, *, required: bool = False, max_length: int) -> str | None:
        """A code from a list (catalogue, enum), as the document lists it: no surrounding spaces."""
        value = self.text(name, required=required, max_length=max_length)
        if value is not None and value != value.strip():
            self.errors[name] = _("Kirim kode persis seperti di daftar, tanpa spasi di awal atau akhir.")
            return None
        return value

    def date(self, name: str, *, required: bool = False) -> date | None:
        """A calendar date written YYYY-MM-DD (null counts as absent)."""
        value = self.body.get(name)
        if value is None:
            if required:
                self.errors[name] = _("Wajib diisi.")
            return None
        parsed = None
        if isinstance(value, str) and _ISO_DATE.match(value):
            try:
                parsed = date.fromisoformat(value)
            except ValueError:
                parsed = None
        if parsed is None:
            self.errors[name] = _("Tanggal harus berupa tanggal yang ada, ditulis TTTT-BB-HH.")
        return parsed

    def check(self) -> None:
        """Raise the 400 ApiError listing every problem found so far."""
        if self.errors:
            raise invalid(self.errors)
