"""JSON API v1: catalogues and the OpenAPI document (services add their endpoints here)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import get_locale
from flask_babel import gettext as _

from blueprints.api import bp
from blueprints.api.openapi import openapi_document
from blueprints.api.parsing import ApiError
from zi_public.extensions import limiter
from zi_public.localtime import today_jakarta
from zi_public.services.reference import active_categories, active_layanan, localized_name
from zi_public.services.skm import standards

API_LIMIT = "120 per minute"


@bp.route("/openapi.json")
@limiter.limit(API_LIMIT)
def openapi():
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())


@bp.route("/kategori")
@limiter.limit(API_LIMIT)
def kategori():
    """Pengaduan categories: [{code, name}]."""
    locale = str(get_locale())
    return jsonify([{"code": c.code, "name": localized_name(c, locale)} for c in active_categories()])


@bp.route("/layanan")
@limiter.limit(API_LIMIT)
def layanan():
    """The service catalogue: [{code, name}]."""
    locale = str(get_locale())
    return jsonify([{"code": item.code, "name": localized_name(item, locale)} for item in active_layanan()])


@bp.route("/layanan/<code>")
@limiter.limit(API_LIMIT)
def layanan_detail(code: str):
    """One layanan {code, name} with its standar pelayanan in force today (null while none is published)."""
    item = standards.published_layanan(code)
    if item is None:
        raise ApiError(404, _("Layanan tidak ditemukan."))
    standard = standards.current_standard(item, today_jakarta())
    return jsonify(
        {
            "code": item.code,
            "name": localized_name(item, str(get_locale())),
            "standar_pelayanan": standards.standard_as_dict(standard) if standard is not None else None,
        }
    )
