"""JSON API for complaints: file one (POST), follow it with its number and access code (GET).

POST body fields: category, title, description, identity (required); layanan, name, email, phone,
nik, location, requested_resolution, incident_date (YYYY-MM-DD) optional. Unknown fields are refused.
`Idempotency-Key` (≤ 64 printable ASCII characters, e.g. a UUID) makes a retry safe: the second
request files nothing and gets 409 naming the first complaint's number (never its access code).
Keys are global, not per client, so use random ones.
"""

from __future__ import annotations

from datetime import date

from flask import current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.api.parsing import ApiError, Fields, idempotency_key, invalid, json_object
from blueprints.pengaduan import api_bp as bp
from zi_public.extensions import limiter
from zi_public.rules.contact import EMAIL_PATTERN, NIK_PATTERN, PHONE_PATTERN
from zi_public.rules.pengaduan import Channel
from zi_public.services.pengaduan.filing import (
    LIMITS,
    DuplicateSubmission,
    InvalidPengaduan,
    PengaduanInput,
    file_pengaduan,
)
from zi_public.services.pengaduan.lookup import status_for_reporter

CODE_MAX = 50  # category and layanan codes
ACCESS_CODE_HEADER = "X-Access-Code"
#: Free-text fields of a submission (lengths: the service's LIMITS), the required ones, and those that may
#: span several lines (the others are single-line, zi_public.rules.text). The OpenAPI fragment reads these.
TEXT_FIELDS = ("title", "description", "requested_resolution", "location", "name")
REQUIRED_TEXT = frozenset({"title", "description"})
MULTILINE_FIELDS = frozenset({"description", "requested_resolution"})


def _post_limit() -> str:
    return current_app.config.get("RATELIMIT_API_PENGADUAN_POST", "20 per hour")


def _get_limit() -> str:
    return current_app.config.get("RATELIMIT_API_PENGADUAN_GET", "60 per minute")


_BAD_EMAIL = _l("Alamat email tidak valid.")
_BAD_PHONE = _l("Nomor telepon hanya berisi angka, spasi, tanda hubung dan + di depan.")
_BAD_NIK = _l("NIK terdiri dari 16 angka.")


def _read_submission() -> PengaduanInput:
    """Type-check the JSON body into a PengaduanInput (domain rules are the service's job)."""
    fields = Fields(json_object(), allowed={*LIMITS, "category", "layanan", "identity", "incident_date"})
    free_text = {
        name: fields.text(
            name, required=name in REQUIRED_TEXT, max_length=LIMITS[name], multiline=name in MULTILINE_FIELDS
        )
        for name in TEXT_FIELDS
    }
    # Contact details are checked even when the complaint is anonymous (and they are then not kept): a
    # malformed value is a client's mistake either way, and the document can state one rule.
    contact = {
        "email": fields.formatted("email", max_length=LIMITS["email"], pattern=EMAIL_PATTERN, message=_BAD_EMAIL),
        "phone": fields.formatted(
            "phone",
            max_length=LIMITS["phone"],
            pattern=PHONE_PATTERN,
            message=_BAD_PHONE,
        ),
        "nik": fields.formatted("nik", max_length=LIMITS["nik"], pattern=NIK_PATTERN, message=_BAD_NIK),
    }
    values = {
        "category": fields.code("category", required=True, max_length=CODE_MAX),
        "layanan": fields.code("layanan", max_length=CODE_MAX),
        "identity": fields.code("identity", required=True, max_length=CODE_MAX),
        **free_text,
        **contact,
        "incident_date": fields.date("incident_date"),
    }
    fields.check()
    values["requested_resolution"] = values["requested_resolution"] or ""
    values["location"] = values["location"] or ""
    return PengaduanInput(**values)


def _replay(number: str) -> ApiError:
    return ApiError(
        409,
        _("Permintaan dengan Idempotency-Key ini sudah diterima sebagai pengaduan %(number)s.", number=number),
    )


@bp.route("", methods=["POST"], endpoint="create")
@limiter.limit(_post_limit)
def create_pengaduan():
    """File a complaint: 201 with its number, the access code (shown only here), status and due dates."""
    submission_key = idempotency_key()
    data = _read_submission()
    try:
        filed = file_pengaduan(data, channel=Channel.API, submission_key=submission_key)
    except InvalidPengaduan as exc:
        raise invalid(exc.errors) from None
    except DuplicateSubmission as exc:  # also the loser of a race between two requests with one key
        raise _replay(exc.existing.number) from None
    case = filed.pengaduan
    response = jsonify(
        number=case.number,
        access_code=filed.access_code,
        status=case.status.value,
        due_dates={"verify_by": case.verify_by.isoformat(), "settle_by": case.settle_by.isoformat()},
    )
    response.status_code = 201
    response.headers["Location"] = url_for("api.pengaduan.status", number=case.number)
    return response


@bp.route("/<number>", endpoint="status")
@limiter.limit(_get_limit)
def pengaduan_status(number: str):
    """A complaint's status, due dates, public history and answers, for its number plus access code."""
    code = request.headers.get(ACCESS_CODE_HEADER, "")
    if not code.strip():
        raise invalid({ACCESS_CODE_HEADER: _("Wajib diisi.")})
    found = status_for_reporter(number, code)
    if found is None:  # one answer for a wrong number and a wrong code: no existence oracle
        raise ApiError(404, _("Pengaduan tidak ditemukan, atau kode aksesnya salah."))
    return jsonify(
        number=found.number,
        status=found.status.value,
        received_on=found.received_on.isoformat(),
        is_closed=found.is_closed,
        forwarded_to=found.forwarded_to,
        due_dates={
            "verify_by": found.verify_by.isoformat(),
            "settle_by": found.settle_by.isoformat(),
            "followup_by": _iso(found.followup_by),
            "reply_until": _iso(found.reply_until),
        },
        clocks=[
            {"name": clock.name, "due": _iso(clock.due), "done_on": _iso(clock.done_on), "state": clock.state.value}
            for clock in found.clocks
        ],
        history=[
            {
                "action": event.action.value,
                "status": event.status.value,
                "date": event.on.isoformat(),
                "body": event.text,
            }
            for event in found.history
        ],
        answers=[{"date": event.on.isoformat(), "body": event.text} for event in found.answers],
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
