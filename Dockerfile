# nianbao (and, in compose.yaml, the Chroma server of the same chromadb release).
FROM python:3.11-slim
WORKDIR /app
ENV HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false NIANBAO_MODEL_DIR=/models PYTHONUNBUFFERED=1
COPY pyproject.toml README.md ./
COPY ingest ingest
COPY assistant assistant
COPY eval eval
COPY prompts prompts
COPY samples samples
# torch first, pinned, as scripts/setup.sh does; editable, so that `nianbao serve` finds samples/ here.
RUN pip install --no-cache-dir torch==2.13.0 && pip install --no-cache-dir -e '.[postgres]'
# The default embedding model, materialised once into the image rather than by each worker at start.
RUN python -c "from assistant.embedding import DEFAULT_MODEL, load_embedder; load_embedder(DEFAULT_MODEL, cache_dir='/models')"
EXPOSE 8000
CMD ["nianbao", "serve", "--host", "0.0.0.0", "--port", "8000"]
