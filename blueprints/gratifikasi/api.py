"""JSON API for gratifikasi reports: file one (POST), follow it with its number and access code (GET), and
read the guide (GET /pedoman): the regulation in force on a day, its exempt categories, the option lists.

POST body (DESIGN.md): reporter {nik, name, position, unit, phone, email?, address}, kind ("diterima" or
"ditolak"), giver {name, institution?, relationship}, gift_type, value_idr (a JSON integer of Rupiah, 0 when
unknown), received_on (YYYY-MM-DD), place, chronology; optional gift_description, occasion, gift_location
(required for a received gift), exemption_code (a category the reporter thinks may apply; it never stops the
report). Unknown fields are refused, inside `reporter` and `giver` too, and errors name fields by their path
("reporter.nik", "giver.name"). A late report is accepted and marked late, as on the web form.
`Idempotency-Key` works as for POST /pengaduan: a retry files nothing and gets 409 naming the first report's
number, never its access code. Every POST counts against the per-address limit, refused ones too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from flask import current_app, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from blueprints.api.parsing import ApiError, Fields, idempotency_key, invalid, json_object
from blueprints.gratifikasi import api_bp as bp
from zi_public.extensions import limiter
from zi_public.i18n import format_rupiah
from zi_public.labels import label
from zi_public.localtime import jakarta_date, today_jakarta
from zi_public.rules import gratifikasi as rules
from zi_public.rules.contact import EMAIL_PATTERN, NIK_PATTERN, PHONE_PATTERN
from zi_public.rules.gratifikasi import Channel, GiftLocation, GiftType, Kind
from zi_public.rules.gratifikasi_regulations import Exemption, assess, category_codes, regulation_on
from zi_public.services.gratifikasi import labels
from zi_public.services.gratifikasi.clocks import clock_policy
from zi_public.services.gratifikasi.filing import (
    LIMITS,
    MULTILINE,
    REQUIRED,
    DuplicateSubmission,
    Filed,
    GratifikasiInput,
    InvalidGratifikasi,
    file_report,
    validate,
)
from zi_public.services.gratifikasi.lookup import status_for_reporter

CODE_MAX = 50  # kind, gift_type, gift_location, exemption_code
ACCESS_CODE_HEADER = "X-Access-Code"
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: The two nested objects: the API's field -> the service's field (GratifikasiInput, filing.LIMITS).
NESTED: dict[str, dict[str, str]] = {
    "reporter": {
        "nik": "nik",
        "name": "name",
        "position": "position",
        "unit": "unit",
        "phone": "phone",
        "email": "email",
        "address": "address",
    },
    "giver": {"name": "giver_name", "institution": "giver_institution", "relationship": "giver_relationship"},
}
#: Free text at the top level (named as in the service).
TOP_TEXT = ("place", "chronology", "gift_description", "occasion")
#: Codes from the option lists (GET /pedoman): the field -> its values (from the rules, never written here).
CODES: dict[str, tuple[str, ...]] = {
    "kind": tuple(kind.value for kind in Kind),
    "gift_type": tuple(gift.value for gift in GiftType),
    "gift_location": tuple(place.value for place in GiftLocation),
    "exemption_code": tuple(category_codes()),
}
REQUIRED_CODES = frozenset({"kind", "gift_type"})
#: Fields written in a fixed format (rules/contact.py): the service's field -> its pattern.
FORMATS = {"nik": NIK_PATTERN, "phone": PHONE_PATTERN, "email": EMAIL_PATTERN}
ALLOWED = frozenset({*NESTED, *TOP_TEXT, *CODES, "value_idr", "received_on"})
#: The service's field -> the API's name for it in error answers ("giver_name" -> "giver.name").
API_NAMES = {service: f"{outer}.{name}" for outer, fields in NESTED.items() for name, service in fields.items()}

_FORMAT_MESSAGES = {
    "nik": _l("NIK terdiri dari 16 angka."),
    "phone": _l("Nomor telepon hanya berisi angka, spasi, tanda hubung dan + di depan."),
    "email": _l("Alamat email tidak valid."),
}


def is_required(service_field: str) -> bool:
    return service_field in REQUIRED


def is_multiline(service_field: str) -> bool:
    return service_field in MULTILINE


def _post_limit() -> str:
    return current_app.config["RATELIMIT_API_GRATIFIKASI_POST"]


def _status_limit() -> str:
    return current_app.config["RATELIMIT_GRATIFIKASI_STATUS"]


def _guide_limit() -> str:
    return current_app.config["RATELIMIT_API_GRATIFIKASI_GUIDE"]


def _text(fields: Fields, name: str, service: str) -> str | None:
    """A free-text or formatted field, checked as the service's LIMITS, REQUIRED, MULTILINE and FORMATS say."""
    value = fields.text(
        name, required=is_required(service), max_length=LIMITS[service], multiline=is_multiline(service)
    )
    if value is not None and service in FORMATS and re.fullmatch(FORMATS[service], value) is None:
        fields.errors[name] = str(_FORMAT_MESSAGES[service])
        return None
    return value


def _nested(body: Fields, outer: str) -> dict[str, str | None]:
    """The object `outer` (reporter or giver), its fields as the service names them; its errors as 'outer.x'."""
    names = NESTED[outer]
    raw = body.body.get(outer)
    if raw is None:
        body.errors[outer] = _("Wajib diisi.")
        return dict.fromkeys(names.values())
    if not isinstance(raw, dict):
        body.errors[outer] = _("Harus berupa objek.")
        return dict.fromkeys(names.values())
    fields = Fields(raw, allowed=names)
    values = {service: _text(fields, name, service) for name, service in names.items()}
    body.errors.update({f"{outer}.{name}": message for name, message in fields.errors.items()})
    return values


def _value_idr(fields: Fields) -> int | None:
    """A JSON integer of Rupiah, 0 up to rules.MAX_VALUE_IDR (not a decimal, a text or a boolean)."""
    value = fields.body.get("value_idr")
    if value is None:
        fields.errors["value_idr"] = _("Wajib diisi.")
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= rules.MAX_VALUE_IDR:
        fields.errors["value_idr"] = _(
            "Harus berupa bilangan bulat Rupiah dari 0 sampai %(n)s.", n=format_rupiah(rules.MAX_VALUE_IDR)
        )
        return None
    return value


def _read_report() -> GratifikasiInput:
    """Type-check the JSON body into a GratifikasiInput; one answer names every problem, the service's too."""
    fields = Fields(json_object(), allowed=ALLOWED)
    values: dict[str, Any] = {}
    for outer in NESTED:
        values.update(_nested(fields, outer))
    values.update({name: _text(fields, name, name) for name in TOP_TEXT})
    values.update({name: fields.code(name, required=name in REQUIRED_CODES, max_length=CODE_MAX) for name in CODES})
    values["value_idr"] = _value_idr(fields)
    values["received_on"] = fields.date("received_on", required=True)
    texts = {name: value or "" for name, value in values.items() if name not in {"value_idr", "received_on"}}
    data = GratifikasiInput(**texts, value_idr=values["value_idr"], received_on=values["received_on"])
    if fields.errors:  # the service's findings on what the type check let through, in the same answer
        for name, message in api_names(validate(data, today_jakarta())).items():
            if not any(name == bad or name.startswith(f"{bad}.") for bad in fields.errors):
                fields.errors.setdefault(name, message)
    fields.check()
    return data


def api_names(errors: Mapping[str, object]) -> dict[str, object]:
    """The service's field names as the API calls them (nik -> reporter.nik, giver_name -> giver.name)."""
    return {API_NAMES.get(name, name): message for name, message in errors.items()}


def _replay(number: str) -> ApiError:
    return ApiError(
        409,
        _("Permintaan dengan Idempotency-Key ini sudah diterima sebagai laporan %(number)s.", number=number),
    )


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _created(filed: Filed) -> dict[str, Any]:
    report = filed.report
    return {
        "number": report.number,
        "access_code": filed.access_code,
        "status": report.status.value,
        "received_on": report.received_on.isoformat(),
        "reported_on": report.reported_on.isoformat(),
        "report_due": _iso(report.report_due),
        "working_days_since_received": report.working_days_since_received,
        "is_late": report.is_late,
        "regulation": report.regulation_code,
    }


@bp.route("", methods=["POST"], endpoint="create")
@limiter.limit(_post_limit)
def create_report():
    """File a report: 201 with its number, the access code (shown only here) and the reporting facts."""
    submission_key = idempotency_key()
    data = _read_report()
    try:
        filed = file_report(data, channel=Channel.API, submission_key=submission_key)
    except InvalidGratifikasi as exc:
        raise invalid(api_names(exc.errors)) from None
    except DuplicateSubmission as exc:  # also the loser of a race between two requests with one key
        raise _replay(exc.existing.number) from None
    response = jsonify(_created(filed))
    response.status_code = 201
    response.headers["Location"] = url_for("api.gratifikasi.status", number=filed.report.number)
    return response


@bp.route("/<number>", endpoint="status")
@limiter.limit(_status_limit)
def report_status(number: str):
    """A report's status, reporting facts, clocks, KPK's decision and public history, for number plus code."""
    code = request.headers.get(ACCESS_CODE_HEADER, "")
    if not code.strip():
        raise invalid({ACCESS_CODE_HEADER: _("Wajib diisi.")})
    found = status_for_reporter(number, code)
    if found is None:  # one answer for a wrong number and a wrong code: no existence oracle
        raise ApiError(404, _("Laporan gratifikasi tidak ditemukan, atau kode aksesnya salah."))
    return jsonify(
        number=found.number,
        kind=found.kind.value,
        status=found.status.value,
        regulation=found.regulation_code,
        received_on=found.received_on.isoformat(),
        reported_on=found.reported_on.isoformat(),
        report_due=_iso(found.report_due),
        working_days_since_received=found.working_days_since_received,
        is_late=found.is_late,
        completion_by=_iso(found.completion_by),
        forwarded_on=_iso(found.forwarded_on),
        decision=found.decision.value if found.decision else None,
        decision_date=_iso(found.decision_date),
        clocks=[
            {"name": clock.name, "due": _iso(clock.due), "done_on": _iso(clock.done_on), "state": clock.state.value}
            for clock in found.clocks
        ],
        history=[
            {
                "action": event.action.value,
                "status": event.status.value,
                "date": jakarta_date(event.created_at).isoformat(),
                "body": event.body or None,
            }
            for event in found.history
        ],
    )


def _guide_day() -> date:
    """?date=YYYY-MM-DD (default: today in Jakarta)."""
    if "date" not in request.args:
        return today_jakarta()
    text = request.args.get("date", "")
    try:
        if not _ISO_DATE.fullmatch(text):
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise invalid({"date": _("Tanggal harus berupa tanggal yang ada, ditulis TTTT-BB-HH.")}) from None


def _exemption(item: Exemption, locale: str) -> dict[str, Any]:
    return {
        "code": item.code,
        "title": item.title.get(locale),
        "summary": item.summary.get(locale),
        "limit_per_giver": item.limit_per_giver,
        "limit_per_year": item.limit_per_year,
        "non_cash_only": item.non_cash_only,
    }


def _options(table: Mapping[Any, object], values: tuple[str, ...]) -> list[dict[str, str | None]]:
    return [{"value": value, "label": label(table, value)} for value in values]


@bp.route("/pedoman", endpoint="guide")
@limiter.limit(_guide_limit)
def guide():
    """The rules in force on ?date= (default today): the regulation, its exempt categories and limits, the
    categories removed by then, the reporting deadlines, and the option lists POST accepts."""
    day = _guide_day()
    locale = str(get_locale())
    regulation = regulation_on(day)
    removed = [found for code in category_codes() if (found := assess(day, code, None, None)).removed is not None]
    return jsonify(
        date=day.isoformat(),
        regulation={
            "code": regulation.code,
            "name": regulation.name.get(locale),
            "short": regulation.short.get(locale),
            "in_force_from": _iso(regulation.in_force_from),
            "in_force_until": _iso(regulation.in_force_until),
            "completion_days": regulation.completion_days,
            "late_note": regulation.late_note.get(locale),
        },
        report_days=rules.REPORT_DAYS,
        office_days=clock_policy().office_days,
        exemptions=[_exemption(item, locale) for item in regulation.exemptions],
        removed=[
            {
                **_exemption(found.removed, locale),
                "successor": found.successor.code if found.successor is not None else None,
            }
            for found in removed
            if found.removed is not None
        ],
        options={
            "kind": _options(labels.KIND_LABELS, CODES["kind"]),
            "gift_type": _options(labels.GIFT_TYPE_LABELS, CODES["gift_type"]),
            "gift_location": _options(labels.GIFT_LOCATION_LABELS, CODES["gift_location"]),
        },
    )
