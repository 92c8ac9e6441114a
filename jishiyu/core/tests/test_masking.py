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


import pytest  # noqa: E402


@pytest.mark.parametrize(
    "written",
    [
        "138 1234 5678",
        "138-1234-5678",
        "+8613812345678",
        "+86 138 1234 5678",
        "0086-138-1234-5678",
        "１３８１２３４５６７８",
        "１３８ １２３４ ５６７８",
        "138.1234.5678",
    ],
)
def test_a_mobile_written_any_common_way_is_masked(written):
    cleaned = scrub(f"联系电话：{written}，谢谢")
    assert "138****5678" in cleaned
    assert "1234" not in cleaned and "１２３４" not in cleaned
    assert cleaned.startswith("联系电话：") and cleaned.endswith("，谢谢")


@pytest.mark.parametrize(
    "written",
    ["320114 19800101 001X", "3201 1419 8001 0100 1x", "３２０１１４１９８００１０１００１Ｘ", "320114-19800101-001X"],
)
def test_an_id_number_written_in_groups_or_full_width_is_masked(written):
    cleaned = scrub(f"身份证 {written} 本人")
    assert "3201**********001X" in cleaned
    assert "19800101" not in cleaned.replace(" ", "").replace("-", "")


def test_ordinary_numbers_are_left_alone():
    text = "5栋2单元501室，2024年10月1日，费用 1200 元，工单 T-20241001-0001"
    assert scrub(text) == text
