"""Hybrid retrieval: LangChain retrievers, report filters, Chinese tokenisation."""

from langchain_core.retrievers import BaseRetriever

from assistant.tokens import bigram_tokens, word_tokens


def test_tokenizers_segment_chinese():
    words = word_tokens("2017年科技厅共收到依申请6件，未收到行政复议申请。")
    assert "依申请" in words and "行政复议" in words
    assert bigram_tokens("依申请公开") == ["依申", "申请", "请公", "公开"]


def test_hybrid_is_a_langchain_retriever_and_filters_reports(assistant):
    assert isinstance(assistant.retriever, BaseRetriever)
    seed = next(r for r in assistant.reports if r.meta.agency == "河南省科学技术厅")
    docs = assistant.retriever.invoke("收到 依申请 申请 件数", report_ids=[seed.id])
    assert docs and all(d.metadata["report_id"] == seed.id for d in docs)
    assert assistant.retriever.invoke("申请", report_ids=[]) == []


def test_question_identity_filters_other_years(assistant):
    # Same agency, two years: the 2018 paragraph must not be retrieved for a 2017 question.
    chunk_ids = assistant.retrieve("2017年清河市教育局收到多少件政府信息公开申请?",
                                   report_ids=assistant.scope("2017年清河市教育局收到多少件政府信息公开申请?"))
    assert chunk_ids and all(cid.startswith("2017-") for cid in chunk_ids)


def test_evidence_ranks_first_for_the_done_when_question(assistant):
    question = "2017年河南省科技厅共收到多少件政府信息公开申请?"
    top = assistant.retrieve(question, report_ids=assistant.scope(question))
    texts = {c.id: c.text for r in assistant.reports for c in r.chunks}
    assert "共收到依申请6件" in " ".join(texts[c] for c in top[:3])
