"""Reads of site content.

The site search (every registered source, both languages) lives in
``cms.search.selectors``; it is named here too, where views look for reads.
"""

from .search.selectors import SearchOutcome, site_search

__all__ = ["SearchOutcome", "site_search"]
