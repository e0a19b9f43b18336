"""Admin wiring (filled in by its area)."""
