"""Kiosk pages: only on a registered device, nothing kept between people, never cached."""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from blueprints.kiosk import bp
from blueprints.kiosk.forms import KioskPengaduanForm
from zi_public import links
from zi_public.extensions import csrf, limiter
from zi_public.forms.pengaduan import checked, complaint_form, show_errors
from zi_public.i18n import LANG_COOKIE
from zi_public.qr import qr_svg
from zi_public.rules.pengaduan import Channel
from zi_public.security.client import kiosk_key
from zi_public.security.input_guard import checks_every_field
from zi_public.security.session_seal import seal_json, unseal_json
from zi_public.services import kiosk as kiosk_service
from zi_public.services.gratifikasi import campaign
from zi_public.services.pengaduan import lookup
from zi_public.services.pengaduan.filing import DuplicateSubmission, InvalidPengaduan, file_pengaduan
from zi_public.services.skm import perception

RECEIPT_KEY = "kiosk_receipt"
RECEIPT_CONTEXT = "kiosk-receipt"
PAPER_WIDTHS = (58, 80)


def _kiosk_limit() -> str:
    return current_app.config.get("RATELIMIT_KIOSK", "60 per hour")


def _current_device_id() -> int | None:
    """The registered device this browser is (looked up once per request)."""
    if "kiosk_device_id" not in g:
        # Also notes last_seen_at (at most once a minute), committed with the request.
        device = kiosk_service.device_from_cookie(request.cookies.get(kiosk_service.COOKIE_NAME))
        g.kiosk_device_id = device.id if device else None
    return g.kiosk_device_id


def _forget_person(response: Response) -> Response:
    """Drop everything the last person left behind: session (incl. CSRF token) and language."""
    session.clear()
    response.delete_cookie(LANG_COOKIE)
    return response


@bp.before_request
def require_registered_device():
    """Kiosk pages work only in a browser an admin activated as a kiosk."""
    if _current_device_id() is None:
        return render_template("kiosk/unregistered.html"), 403
    return None


@bp.after_request
def never_store(response: Response) -> Response:
    # The back button must not bring the previous person's page back from the cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.context_processor
def kiosk_settings() -> dict:
    paper = int(current_app.config.get("KIOSK_PAPER_MM", 80))
    return {
        "kiosk_idle_seconds": int(current_app.config.get("KIOSK_IDLE_SECONDS", 90)),
        # The countdown with "Lanjutkan" fills the last seconds of the idle time (none when the idle time is shorter).
        "kiosk_idle_warning_seconds": int(current_app.config["KIOSK_IDLE_WARNING_SECONDS"]),
        "kiosk_paper_mm": paper if paper in PAPER_WIDTHS else 80,
        "kiosk_registered": bool(g.get("kiosk_device_id")),
    }


@bp.route("/")
def index():
    """Start page: big buttons per service, and why WBS is not offered here."""
    # Never a WBS form here (the hall has CCTV, the device is shared): the QR code leads to /wbs/ on the
    # reporter's own phone.
    wbs_url = links.wbs_home()
    return render_template(
        "kiosk/index.html",
        wbs_url=wbs_url,
        wbs_qr=qr_svg(wbs_url, title=wbs_url),
        perception_surveys=perception.active_questionnaires(),
        campaign_text=campaign.campaign_text("kiosk"),  # the UPG's running text ("" when none)
    )


@bp.route("/pengaduan", methods=["GET", "POST"])
@limiter.limit(_kiosk_limit, key_func=kiosk_key, methods=["POST"], deduct_when=lambda _: bool(g.get("complaint_filed")))
@checks_every_field
def pengaduan():
    """The complaint form, filed with channel kiosk and this device's id."""
    form = complaint_form(KioskPengaduanForm)
    if request.method == "POST" and checked(form):
        try:  # no attachments: no personal files on a shared machine
            filed = file_pengaduan(
                form.to_input(),
                channel=Channel.KIOSK,
                submission_key=form.submission_key.data,
                kiosk_id=_current_device_id(),
            )
        except DuplicateSubmission as exc:
            # A double tap: the first request already showed the code; never show it again.
            return _store_receipt(exc.existing.number, None)
        except InvalidPengaduan as exc:
            show_errors(form, exc)
        else:
            g.complaint_filed = True  # only filed complaints count against this kiosk's limit
            return _store_receipt(filed.pengaduan.number, filed.access_code)
    return render_template("kiosk/pengaduan.html", form=form)


def _store_receipt(number: str, access_code: str | None) -> Response:
    """Start afresh and carry the receipt, encrypted, to the one page that shows it."""
    session.clear()
    session[RECEIPT_KEY] = seal_json({"number": number, "code": access_code}, RECEIPT_CONTEXT)
    return redirect(url_for("kiosk.receipt"))


@bp.route("/pengaduan/terkirim")
def receipt():
    """Number, access code, when received, category and status QR code, shown once; then the session is gone."""
    data = unseal_json(session.pop(RECEIPT_KEY, None), RECEIPT_CONTEXT)
    case = lookup.for_receipt(data.get("number") if isinstance(data, dict) else None)
    if case is None:
        return _forget_person(redirect(url_for("kiosk.index")))
    status_url = links.pengaduan_status(case.number)  # for a phone: on ZI_BASE_URL
    page = render_template(
        "kiosk/receipt.html",
        case=case,
        access_code=data.get("code"),
        status_url=status_url,
        status_qr=qr_svg(status_url, title=status_url),
    )
    return _forget_person(current_app.make_response(page))


@bp.route("/mulai-ulang", methods=["POST"])
@csrf.exempt
def restart():
    """Start over: forget the session and language, back to the start page."""
    # No CSRF token on purpose: a forged request can only do what the 90-second idle timer does
    # anyway, while an expired token would leave an unattended screen on an error page.
    return _forget_person(redirect(url_for("kiosk.index")))


@bp.errorhandler(TooManyRequests)
def too_many(exc: TooManyRequests):
    """This kiosk used up its share: say so on the form, with everything typed still there."""
    if exc.response is not None:  # a view's limit that made its own page (on_breach: the SKM survey)
        return exc.response
    form = complaint_form(KioskPengaduanForm)
    return render_template("kiosk/pengaduan.html", form=form, busy=True), 429


@bp.errorhandler(CSRFError)
def expired_form(exc: CSRFError):
    """An expired page: show the form again with everything typed, and a fresh token."""
    if _current_device_id() is None:
        return render_template("kiosk/unregistered.html"), 403
    if request.endpoint != "kiosk.pengaduan":
        return _forget_person(redirect(url_for("kiosk.index")))
    form = complaint_form(KioskPengaduanForm)
    return render_template("kiosk/pengaduan.html", form=form, expired=True), 400
