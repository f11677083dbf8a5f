"""Domain operations: explicit arguments including the actor; flush, never commit."""
