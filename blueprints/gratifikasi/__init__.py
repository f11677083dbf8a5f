"""Gratifikasi and benturan kepentingan over HTTP (issue 10), all run by the UPG:

- `bp` at /gratifikasi: the guide (what to report, the exempt categories in force on a date), the report form,
  the receipt, the status page;
- `benturan_bp` at /benturan-kepentingan: the declaration form, its receipt and status page;
- `staff_bp` nested under the internal area at /internal/gratifikasi: the UPG's inbox and case pages, the
  custody register, the campaign, and benturan kepentingan (mapping, declarations, quarterly evaluation).
  Only the UPG and the pimpinan get in, and the pimpinan only reads (guard.py);
- `api_bp` nested under /api/v1/gratifikasi, with its part of the OpenAPI document (`openapi.fragment()`).

`blueprints.register_all` does the nesting, so this package never imports another blueprint package.
"""

from flask import Blueprint

bp = Blueprint("gratifikasi", __name__)
benturan_bp = Blueprint("benturan", __name__)
staff_bp = Blueprint("gratifikasi", __name__)
api_bp = Blueprint("gratifikasi", __name__)

from blueprints.gratifikasi import (  # noqa: E402,F401
    api,
    benturan_routes,
    guard,
    openapi,
    routes,
    staff,
    staff_campaign,
    staff_custody,
    staff_declarations,
    staff_evaluation,
    staff_mapping,
)
