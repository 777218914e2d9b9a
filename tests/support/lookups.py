"""Helpers of the tests of the lookups in the registers (the debtor lookup, the victims' status
check): POSTs to a real server, so that its access log is written, and the headers of requests
that a browser says another site sent."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request

# Requests a browser marks as sent by another site: each must be refused.
CROSS_SITE = [
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a sibling host is another origin
    {"Sec-Fetch-Site": "cross-site", "Origin": "https://portal.example.test"},
    {"Origin": "https://evil.example"},
    {"Origin": "http://portal.example.test"},  # the site's host, but not its scheme
    {"Origin": "null"},  # a sandboxed frame or a page that hides its origin
    {"Sec-Fetch-Site": "same-origin", "Origin": "https://evil.example"},
]


def post(url: str, body: bytes, headers: dict[str, str]) -> int:
    """POST to the test server; the response status."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def logged_text(records: list[logging.LogRecord]) -> str:
    """Everything captured log records say, tracebacks and stacks included."""
    return "\n".join(
        f"{record.getMessage()} {record.exc_text or ''} {record.stack_info or ''}"
        for record in records
    )
