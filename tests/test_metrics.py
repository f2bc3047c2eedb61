"""Question → standard-table cell, when people name the row in their own words."""

import pytest

from assistant.understanding.metrics import metric_for


@pytest.mark.parametrize(
    ("question", "key"),
    [
        ("因为单位里压根没有这份资料所以没给的有几件", "t3.unable.not_held.total"),
        ("需要另外整理才能给的申请有几件", "t3.unable.needs_creation.total"),
        ("申请全部公开了的有几件", "t3.granted.total"),
        ("只公开了一部分的申请有几件", "t3.partly_granted.total"),
        ("没法提供的申请有多少", "t3.unable.total"),
        ("有几件申请要留到明年继续处理", "t3.carried_forward.total"),
        ("律所提的申请有几件", "t3.new.legal_service"),
        ("复议还在审的有几件", "t4.reconsideration.pending"),
        ("不走复议直接打官司、法院判输了的有几件", "t4.litigation_direct.corrected"),
    ],
)
def test_rows_said_in_other_words(question, key):
    assert metric_for(question).keys == (key,)


def test_the_words_that_named_the_row_count_as_said():
    ask = metric_for("手上没有这个信息、给不了的申请有几件")
    assert ask.keys == ("t3.unable.not_held.total",) and "没有这个信息" in ask.words


def test_a_request_count_is_not_mistaken_for_a_row():
    assert metric_for("有没有信息公开申请").keys == ("t3.new.total",)
