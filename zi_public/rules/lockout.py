"""Back-off for staff logins: free attempts, then a lock that doubles with each failure."""

from __future__ import annotations

from datetime import timedelta


def lockout_after_failure(
    failures: int, *, free_attempts: int, base: timedelta, maximum: timedelta
) -> timedelta | None:
    """How long to lock the account after its `failures`-th consecutive failure (None: no lock).

    With 5 free attempts and a 1-minute base: failures 1-4 lock nothing, the 5th locks 1 min,
    the 6th 2 min, the 7th 4 min ... never more than `maximum`.
    """
    if failures < free_attempts:
        return None
    exponent = min(failures - free_attempts, 20)  # 2**20 minutes is far past any sane maximum
    return min(base * (2**exponent), maximum)
