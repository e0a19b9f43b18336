"""Admin hooks: registry."""
