"""Analysis layer: questions asked of results (sensitivity, reconciliation of published tables)."""
