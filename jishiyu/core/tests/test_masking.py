from __future__ import annotations

import logging

from jishiyu.core.logging import MaskPersonalDataFilter
from jishiyu.core.masking import mask_id_number, mask_name, mask_phone, scrub


def test_phones_are_masked_three_four_four():
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"


def test_id_numbers_keep_the_first_four_and_last_four():
    assert mask_id_number("32011419800101001X") == "3201**********001X"


def test_names_keep_the_family_name():
    assert mask_name("王秀英") == "王**"
    assert mask_name("李明") == "李*"


def test_free_text_is_scrubbed_of_ids_and_phones():
    text = "居民 32011419800101001X 电话13812345678 门牌 501"
    cleaned = scrub(text)
    assert "32011419800101001X" not in cleaned and "13812345678" not in cleaned
    assert "3201**********001X" in cleaned and "138****5678" in cleaned and "501" in cleaned


def test_the_logging_filter_masks_numbers_in_every_record(caplog):
    logger = logging.getLogger("jishiyu.test")
    logger.addFilter(MaskPersonalDataFilter())
    try:
        with caplog.at_level(logging.INFO, logger="jishiyu.test"):
            logger.info("lookup %s by %s", "32011419800101001X", "13812345678")
    finally:
        logger.filters.clear()
    assert "13812345678" not in caplog.text and "32011419800101001X" not in caplog.text
    assert "138****5678" in caplog.text
