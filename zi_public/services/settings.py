"""Run-time settings an admin changes in the internal area."""

from __future__ import annotations

import json
from typing import Any

from zi_public.extensions import db
from zi_public.models import Setting, User
from zi_public.services import audit

#: Known settings and their defaults.
DEFAULTS: dict[str, Any] = {"require_totp": False}


def get_setting(key: str) -> Any:
    row = db.session.get(Setting, key)
    return DEFAULTS[key] if row is None else json.loads(row.value)


def set_setting(actor: User | str, key: str, value: Any) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    old = get_setting(key)
    row = db.session.get(Setting, key)
    if row is None:
        row = Setting(key=key, value=json.dumps(value))
        db.session.add(row)
    else:
        row.value = json.dumps(value)
    audit.record(actor, "setting.change", target_type="setting", target_id=key, data={"from": old, "to": value})
    db.session.flush()
