"""JSON API for whistle-blowers: file a report, read its status and conversation, write to the team.

POST /wbs {category, what, who, when, where, how} (required; `who` is the party's name, `who_position`,
`who_unit`, `how_known` and a sealed `identity` optional) -> 201 {receipt}: the receipt is in this answer
only. `Idempotency-Key` (as for POST /pengaduan, blueprints.api.parsing.idempotency_key) makes a retry safe:
the second request files nothing and gets 409 saying the report was received and its receipt given in the
first answer; the receipt is never given again (only its hash exists). Keys are global: use random ones.
POST /wbs/status {receipt} -> {status, messages: [{sender, body, date}]} (never the team's notes);
POST /wbs/messages {receipt, body} -> 201. The receipt travels in the body, never in a URL. A wrong
receipt is one 404 (a mistyped one says so: its check character is public arithmetic, not a secret).
Rate limits count per wbs_client_key (a daily keyed hash, never the address); answers are no-store and
no-referrer (zi_public/security/headers.py).
"""

from __future__ import annotations

from flask import current_app, jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from blueprints.api.parsing import ApiError, Fields, idempotency_key, invalid, json_object
from blueprints.wbs import api_bp as bp
from zi_public.extensions import limiter
from zi_public.models.wbs import WbsCategory, WbsReport
from zi_public.security import codes
from zi_public.security.anonymity import wbs_client_key
from zi_public.services import reference
from zi_public.services.wbs import reporter
from zi_public.services.wbs.filing import (
    LIMITS,
    SINGLE_LINE,
    DuplicateSubmission,
    InvalidWbs,
    WbsInput,
    file_report,
)

CODE_MAX = LIMITS["category"]
RECEIPT_MAX = 100  # longer input is not a receipt (zi_public.security.codes)
#: The API's free-text fields: its name -> the service's field. `who` is the party's name.
TEXT_FIELDS = {
    "what": "what",
    "who": "who_name",
    "who_position": "who_position",
    "who_unit": "who_unit",
    "when": "when",
    "where": "where",
    "how": "how",
    "how_known": "how_known",
    "identity": "identity",
}
REQUIRED_TEXT = frozenset({"what", "who", "when", "where", "how"})


def max_length(field: str) -> int:
    return LIMITS[TEXT_FIELDS[field]]


def is_multiline(field: str) -> bool:
    return TEXT_FIELDS[field] not in SINGLE_LINE


def _file_limit() -> str:
    return current_app.config["RATELIMIT_WBS_FILE"]


def _status_limit() -> str:
    return current_app.config["RATELIMIT_WBS_STATUS"]


def _reply_limit() -> str:
    return current_app.config["RATELIMIT_WBS_REPLY"]


def _read_report() -> WbsInput:
    fields = Fields(json_object(), allowed={"category", *TEXT_FIELDS})
    category = fields.code("category", required=True, max_length=CODE_MAX)
    values = {
        TEXT_FIELDS[name]: fields.text(
            name, required=name in REQUIRED_TEXT, max_length=max_length(name), multiline=is_multiline(name)
        )
        for name in TEXT_FIELDS
    }
    fields.check()
    return WbsInput(
        category=category or "",
        **{k: v or "" for k, v in values.items() if k != "identity"},
        identity=values["identity"],
    )


def _replay() -> ApiError:
    """A retried Idempotency-Key: received once, and the receipt is not repeated. The first answer held the
    receipt; repeating it would hand the reporter's only secret to whoever replays the request (a logging
    proxy, a client's retry queue read later). Nothing of the first report is named, not even its day."""
    return ApiError(
        409,
        _(
            "Laporan dengan Idempotency-Key ini sudah diterima, jadi tidak dibuat dua kali. Nomor tanda terima "
            "hanya diberikan satu kali, pada jawaban pertama, dan tidak dapat diberikan lagi."
        ),
    )


def _receipt_report(fields: Fields) -> WbsReport:
    """The report of the body's receipt (fields checked first); one 404 for a wrong one."""
    receipt = fields.text("receipt", required=True, max_length=RECEIPT_MAX)
    fields.check()
    try:
        codes.parse_receipt(receipt or "")
    except codes.InvalidCode as exc:
        raise ApiError(404, str(exc.message)) from None
    report = reporter.find_by_receipt(receipt or "")
    if report is None:
        raise ApiError(404, _("Tidak ada laporan dengan nomor tanda terima ini."))
    return report


@bp.route("", methods=["POST"], endpoint="create")
@limiter.limit(_file_limit, key_func=wbs_client_key)
def create_report():
    """File a report: 201 with the receipt, shown only here; a retried Idempotency-Key files nothing (409)."""
    submission_key = idempotency_key()
    data = _read_report()
    try:
        filed = file_report(data, submission_key=submission_key)
    except InvalidWbs as exc:
        raise invalid(_api_names(exc.errors)) from None
    except DuplicateSubmission:  # also the loser of a race between two requests with one key
        raise _replay() from None
    response = jsonify(receipt=filed.receipt)
    response.status_code = 201
    return response


@bp.route("/status", methods=["POST"], endpoint="status")
@limiter.limit(_status_limit, key_func=wbs_client_key)
def report_status():
    """The report's status and its conversation with the team, for its receipt."""
    report = _receipt_report(Fields(json_object(), allowed={"receipt"}))
    view = reporter.reporter_view(report)
    return jsonify(
        status=view.status.value,
        messages=[
            {"sender": message.sender.value, "body": message.body, "date": message.date.isoformat()}
            for message in view.messages
        ],
    )


@bp.route("/messages", methods=["POST"], endpoint="message")
@limiter.limit(_reply_limit, key_func=wbs_client_key)
def write_message():
    """The reporter writes to the team; a message holding the receipt is refused (400)."""
    fields = Fields(json_object(), allowed={"receipt", "body"})
    body = fields.text("body", required=True, max_length=reporter.BODY_LIMIT, multiline=True)
    report = _receipt_report(fields)
    try:
        message = reporter.reply(report, body or "")
    except InvalidWbs as exc:
        raise invalid(exc.errors) from None
    response = jsonify(sender=message.sender.value, body=message.body, date=message.sent_on.isoformat())
    response.status_code = 201
    return response


@bp.route("/kategori", endpoint="kategori")
@limiter.limit("120 per minute", key_func=wbs_client_key)
def kategori():
    """WBS categories: [{code, name}] (`category` in POST /wbs is a code from here)."""
    locale = str(get_locale())
    return jsonify(
        [{"code": c.code, "name": reference.localized_name(c, locale)} for c in reference.active(WbsCategory)]
    )


def _api_names(errors: dict[str, object]) -> dict[str, object]:
    """The service's field names as the API calls them (who_name -> who)."""
    by_service = {service: api for api, service in TEXT_FIELDS.items()}
    return {by_service.get(name, name): message for name, message in errors.items()}
