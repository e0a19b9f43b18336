"""One search over the whole site, in both languages (see docs/search.md)."""
