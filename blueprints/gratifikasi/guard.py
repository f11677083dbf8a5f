"""Who gets into /internal/gratifikasi: the UPG, and the pimpinan to read. Every other role (admin, Tim
Pengaduan, Tim WBS, Tim SKM) is refused every page; the pimpinan is refused every change (any method but GET
and HEAD). One check for the whole staff blueprint, so a page added later cannot forget it."""

from __future__ import annotations

from flask import abort, request
from flask_login import current_user

from blueprints.gratifikasi import staff_bp
from zi_public.models import Role

READERS = frozenset({Role.UPG, Role.PIMPINAN})
WRITERS = frozenset({Role.UPG})
READ_METHODS = frozenset({"GET", "HEAD"})


@staff_bp.before_request
def upg_only():
    role = current_user.role if current_user.is_authenticated else None
    if role not in READERS:
        abort(403)
    if request.method not in READ_METHODS and role not in WRITERS:
        abort(403)
