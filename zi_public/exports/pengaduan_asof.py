"""The as-of snapshot of the complaints, for the report builders: its home is services.pengaduan.asof (the
recap service builds on it too, and a service does not import the exports package)."""

from zi_public.services.pengaduan.asof import PeriodCases, Snapshot, handled_in, received_in, snapshot

__all__ = ["PeriodCases", "Snapshot", "handled_in", "received_in", "snapshot"]
