"""Pengaduan over HTTP: the public pages (`bp`), the Tim Pengaduan's pages (`staff_bp`, nested under the
internal area's guard at /internal/pengaduan) and the JSON API (`api_bp`, nested under /api/v1/pengaduan)
with its part of the OpenAPI document (`openapi.fragment()`, merged by blueprints/api/openapi.py).

`blueprints.register_all` does the nesting, so this package never imports another blueprint package.
"""

from flask import Blueprint

bp = Blueprint("pengaduan", __name__)
staff_bp = Blueprint("pengaduan", __name__)
api_bp = Blueprint("pengaduan", __name__)

from blueprints.pengaduan import api, intake, openapi, routes, staff, statistik  # noqa: E402,F401
