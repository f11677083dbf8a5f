"""The Tim SKM's switch between the exact IKM (each NRR × 1/9) and the legacy spreadsheets' weighting
(each NRR × 0.111, which caps a perfect score at 99.90).

A setting (zi_public/services/settings.py: skm_legacy_weight, default False = exact); each change is
audit-logged there (setting.change) with the member who made it.
"""

from __future__ import annotations

from zi_public.models import User
from zi_public.services.settings import get_setting, set_setting

KEY = "skm_legacy_weight"


def legacy_weighting() -> bool:
    """True when the office reports its IKM with the legacy 0.111 weighting (never the default)."""
    return get_setting(KEY) is True


def set_legacy_weighting(actor: User | str, on: bool) -> bool:
    """Switch the legacy weighting on or off; returns whether it changed (a change is audit-logged)."""
    if not isinstance(on, bool):
        raise TypeError("on must be a bool")
    if legacy_weighting() == on:
        return False
    set_setting(actor, KEY, on)
    return True
