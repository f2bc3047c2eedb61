"""What a question names, and whether a figure's own words cover it."""

from assistant.understanding.terms import covers, opposite_in, topic_terms


def words(text: str) -> list[str]:
    return [t.word for t in topic_terms(text)]


def test_fillers_complements_and_asking_words_are_no_topic():
    for filler in ("请问", "一下", "一共", "起来", "下来", "已经", "多少"):
        assert filler not in words(f"请问一下{filler}主动公开了多少条信息呢?")


def test_numbers_other_than_years_are_topic():
    assert "60" in words("2023年申请人里60岁以上的有几个?")
    assert "2023" not in words("2023年申请人里60岁以上的有几个?")


def test_abbreviations_and_synonyms_cover():
    assert covers("通过“食安”栏目发布快速检测结果", "快检")
    assert covers("未经复议直接提起行政诉讼3件", "起诉")
    assert not covers("共收到政府信息公开申请18件", "当面")
    assert covers("联系电话0591-1234567", "0591")
    assert not covers("累计12345件", "1234")


def test_opposites():
    assert opposite_in("开设", "关停账号3个")
    assert not opposite_in("开设", "开设账号3个，关停1个")
    assert opposite_in("取消关注", "本年新增关注用户达5810人")


def test_numbers_inside_markup_are_no_topic():
    assert "1" not in words('<img src=x onerror="window.__pwned=1"> 共收到多少件申请?')


def test_an_identifier_with_digits_is_no_topic_and_does_not_swallow_the_words_after_it():
    # a reference or marker pasted after the question (hex, order numbers) names no figure
    assert "52389" not in words("共收到多少件政府信息公开申请?（52389d）")
    assert "行政复议" in words("ab12行政复议有几件?")


def test_the_first_year_of_a_range_is_no_topic():
    assert "2016" not in words("2016-2023年历年的信息公开申请数分别是多少")


def test_a_how_word_after_a_noun_leaves_the_noun():
    assert "强制" in words("采取了多少件行政强制措施?") and "依申请" not in words("依申请公开收了多少费用?")
