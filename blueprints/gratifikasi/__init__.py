"""Gratifikasi and benturan kepentingan over HTTP (issue 10), all run by the UPG:

- `bp` at /gratifikasi: the guide (what to report, the exempt categories in force on a date), the report form,
  the receipt, the status page;
- `benturan_bp` at /benturan-kepentingan: the declaration form, its receipt and status page;
- `staff_bp` nested under the internal area at /internal/gratifikasi: the UPG's inbox and case pages, the
  custody register, the campaign, and benturan kepentingan (mapping, declarations, quarterly evaluation).
  Only the UPG and the pimpinan get in, and the pimpinan only reads (`restrict_area` below);
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
    openapi,
    routes,
    staff,
    staff_campaign,
    staff_custody,
    staff_declarations,
    staff_evaluation,
    staff_mapping,
)

# Every staff page is the UPG's, and the pimpinan's to read: the internal area's guard refuses any other role
# every page, and the pimpinan every change, before the view and the CSRF check. (Imported after the pages, which
# load the models first: zi_public.security.permissions and the models import each other.)
from zi_public.security.permissions import restrict_area  # noqa: E402

restrict_area(staff_bp, "gratifikasi")
