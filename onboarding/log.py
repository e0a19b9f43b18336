"""Logging for the site: refused requests are one line each, not a traceback."""

import logging

# Requests the site refuses on purpose: the reason is in the response, not in a stack.
REFUSALS = frozenset({400, 403, 404, 405})


class RefusalsOnOneLine(logging.Filter):
    """Drops the traceback Django attaches when it logs a refused request (``django.request``).

    A 403 from ``PermissionDenied`` is logged with the exception, so every
    refused attempt printed a full stack; one line (status, method, path)
    says all there is. Server errors keep their traceback.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True
