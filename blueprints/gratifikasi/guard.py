"""Who gets into /internal/gratifikasi: the UPG, and the pimpinan to read. Every other role (admin, Tim
Pengaduan, Tim WBS, Tim SKM) is refused every page; the pimpinan is refused every change (any method but GET
and HEAD). One check for the whole staff blueprint, so a page added later cannot forget it.

The check runs twice. First as a URL value preprocessor, which Flask calls before every before_request
function, the app's CSRF check included: a signed-in role that may not be here answers 403 whatever token
it sent (the CSRF check would otherwise answer 400 first and tell it nothing about its role). Nobody signed
in passes on to the CSRF check and the internal area's guard, as everywhere else. Then as this blueprint's
before_request, after the internal area's guard, which is the check a page relies on. The UPG's writes keep
the CSRF check exactly as before: it still runs before every view that is not exempt from it.
"""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from blueprints.gratifikasi import staff_bp
from zi_public.models import Role

READERS = frozenset({Role.UPG, Role.PIMPINAN})
WRITERS = frozenset({Role.UPG})
READ_METHODS = frozenset({"GET", "HEAD"})


def _refuse_unless_allowed(role: Role | None) -> None:
    if role not in READERS:
        abort(403)
    if request.method not in READ_METHODS and role not in WRITERS:
        abort(403)


@staff_bp.url_value_preprocessor
def wrong_role_first(endpoint: str | None, values: dict | None) -> None:
    """A signed-in role refused before the CSRF check (see the module's docstring); nobody signed in goes on."""
    if current_user.is_authenticated:
        _refuse_unless_allowed(current_user.role)


@staff_bp.before_request
def upg_only():
    """Only the UPG writes here and only the UPG and the pimpinan read."""
    _refuse_unless_allowed(current_user.role if current_user.is_authenticated else None)
