"""Who may do what: the role decorator and the case loader that also checks the role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user

from zi_public.extensions import db
from zi_public.models.user import Role

F = TypeVar("F", bound=Callable[..., Any])

#: Which roles may open a case of each kind. pimpinan reads pengaduan, gratifikasi and SKM but
#: never WBS contents; admin reads no case contents at all (DESIGN.md, security model).
CASE_READERS: dict[str, frozenset[Role]] = {
    "pengaduan": frozenset({Role.PENGADUAN, Role.PIMPINAN}),
    "wbs": frozenset({Role.WBS}),
    "wbs_message": frozenset({Role.WBS}),  # a message's files, e.g. the reporter's evidence in a reply
    "wbs_socialisation": frozenset({Role.WBS}),  # evidence of an internalisation activity
    "gratifikasi": frozenset({Role.UPG, Role.PIMPINAN}),
    "gratifikasi_custody": frozenset({Role.UPG, Role.PIMPINAN}),  # an entrusted gift's photos
    "upg_campaign": frozenset({Role.UPG, Role.PIMPINAN}),  # evidence of a campaign activity
    "benturan": frozenset({Role.UPG, Role.PIMPINAN}),  # conflict-of-interest declarations
    "skm": frozenset({Role.SKM, Role.PIMPINAN}),
}
#: Which roles may change a case of each kind.
CASE_WRITERS: dict[str, frozenset[Role]] = {
    "pengaduan": frozenset({Role.PENGADUAN}),
    "wbs": frozenset({Role.WBS}),
    "wbs_message": frozenset({Role.WBS}),
    "wbs_socialisation": frozenset({Role.WBS}),
    "gratifikasi": frozenset({Role.UPG}),
    "gratifikasi_custody": frozenset({Role.UPG}),
    "upg_campaign": frozenset({Role.UPG}),
    "benturan": frozenset({Role.UPG}),
    "skm": frozenset({Role.SKM}),
}
#: Areas of /internal that belong to one kind of case as a whole: every page is read by that kind's
#: CASE_READERS and changed (any method but GET, HEAD, OPTIONS) by its CASE_WRITERS only, so a page added later
#: cannot forget its check. A blueprint joins with restrict_area; the internal area's guard checks it.
AREA_KINDS: dict[object, str] = {}
#: Case models register here as they are built: kind -> model class.
CASE_MODELS: dict[str, type] = {}


def register_case_model(kind: str) -> Callable[[type], type]:
    """Class decorator: make a model loadable by get_case_or_404(kind, id)."""

    def decorate(model: type) -> type:
        if kind not in CASE_READERS:
            raise ValueError(f"unknown case kind {kind!r}")
        CASE_MODELS[kind] = model
        return model

    return decorate


def case_kind_of(case: object) -> str:
    """The registered kind of a case model (or of one of its rows); LookupError when unregistered."""
    model = case if isinstance(case, type) else type(case)
    for kind, registered in CASE_MODELS.items():
        if issubclass(model, registered):
            return kind
    raise LookupError(f"{model.__name__} is not a registered case model")


def has_role(*roles: Role) -> bool:
    return current_user.is_authenticated and current_user.role in roles


def roles_required(*roles: Role) -> Callable[[F], F]:
    """View decorator: 403 unless the signed-in user has one of `roles`."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def restrict_area(blueprint: object, kind: str) -> None:
    """Every page of `blueprint` (nested in /internal) is for `kind`'s readers, every change for its writers."""
    if kind not in CASE_READERS:
        raise ValueError(f"unknown case kind {kind!r}")
    AREA_KINDS[blueprint] = kind


def can_read_case(role: Role, kind: str) -> bool:
    return role in CASE_READERS.get(kind, frozenset())


def can_write_case(role: Role, kind: str) -> bool:
    return role in CASE_WRITERS.get(kind, frozenset())


def get_case_or_404(kind: str, case_id: int, *, for_write: bool = False) -> Any:
    """Load a case of `kind`; 404 if missing, 403 if the current role may not read (or write) it."""
    model = CASE_MODELS.get(kind)
    if model is None:
        abort(404)
    check = can_write_case if for_write else can_read_case
    if not current_user.is_authenticated or not check(current_user.role, kind):
        abort(403)
    case = db.session.get(model, case_id)
    if case is None:
        abort(404)
    return case
