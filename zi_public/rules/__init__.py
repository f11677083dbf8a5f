"""Pure regulatory and policy logic: plain functions over plain values, no DB, no Flask."""
