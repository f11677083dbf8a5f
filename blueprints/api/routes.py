"""JSON API v1: catalogues and the OpenAPI document (services add their endpoints here)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import get_locale

from blueprints.api import bp
from blueprints.api.openapi import openapi_document
from zi_public.extensions import limiter
from zi_public.services.reference import active_categories, active_layanan, localized_name

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
