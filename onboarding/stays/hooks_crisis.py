"""Admin hooks: crisis."""
