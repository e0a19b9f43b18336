"""Writes of course approval, one module per area: precedents, cases, agreements, recognition."""
