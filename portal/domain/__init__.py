"""Pure logic: documentation, production, metric meaning, freshness. No I/O, no frameworks."""
