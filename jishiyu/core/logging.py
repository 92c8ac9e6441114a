"""A logging filter that masks id numbers and phone numbers in every record: logs never hold them."""

from __future__ import annotations

import logging

from jishiyu.core.masking import scrub


class MaskPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        cleaned = scrub(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
