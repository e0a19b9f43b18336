"""Admin hooks: returns."""
