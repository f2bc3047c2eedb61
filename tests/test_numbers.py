from decimal import Decimal

import pytest

from ingest.numbers import find_numbers, find_years, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "printed"),
    [
        ("共收到依申请6件", 6, "件", "", "6件"),
        ("报道省科技工作400多篇次", 400, "篇次", "多", "400多篇次"),
        ("科技厅微信关注超过9000人", 9000, "人", "超过", "超过9000人"),
        ("发布信息1000余条", 1000, "条", "余", "1000余条"),
        ("组织培训约20次", 20, "次", "约", "约20次"),
        ("一千三百条", 1300, "条", "", "一千三百条"),
        ("召开会议两次", 2, "次", "", "两次"),
        ("行政事业性收费5949.08万元", Decimal("5949.08"), "万元", "", "5949.08万元"),
        ("发布信息１２条", None, None, None, None),  # full-width digits are normalised before this
    ],
)
def test_find_numbers(text, value, unit, qualifier, printed):
    found = find_numbers(text)
    if value is None:
        assert all(m.unit for m in found)
        return
    assert len(found) == 1
    match = found[0]
    assert (match.value, match.unit, match.qualifier, match.as_printed) == (Decimal(value), unit, qualifier, printed)
    assert text[match.start : match.end] == printed


def test_ordinals_years_and_phone_numbers_are_not_figures():
    assert find_numbers("第十四个五年规划") == []
    assert find_numbers("2017年1月1日至2017年12月31日") == []
    assert find_numbers("联系电话:65956924") == []


def test_years():
    assert find_years("二〇一七年和2018年以及2017年") == [2017, 2018]
    assert parse_number("两") == 2
    assert parse_number("1.5万") == 15000
