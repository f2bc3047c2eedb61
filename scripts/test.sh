#!/usr/bin/env bash
# README command 2: install, run the tests, then the evaluation datasets (non-zero below thresholds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${NIANBAO_CORPUS_DIR:-}" ] && [ -d ../shared/corpus ]; then
  export NIANBAO_CORPUS_DIR="$(cd ../shared/corpus && pwd)"
fi
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
# Debian's Chromium runs the browser tests (widget, staff console; Playwright drives it, no browser
# download) and renders the evaluation's HTML report; with CI set, those tests fail without it.
if ! command -v chromium >/dev/null 2>&1; then
  echo "Installing chromium and CJK fonts (for the browser tests)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk; } \
    >/dev/null 2>&1 || echo "warning: could not install chromium; the browser tests cannot run" >&2
fi
# Debian's PostgreSQL: the history tests run on a throwaway server too (started by the tests).
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null 2>&1; then
  echo "Installing postgresql (for the history tests on PostgreSQL)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } \
    >/dev/null 2>&1 || echo "warning: could not install postgresql; its history tests cannot run" >&2
fi
# Debian's Redis: the scaled set-up's tests (tests/test_scaled.py) run PostgreSQL, redis-server and
# `chroma run` (from chromadb) as real processes.
if ! command -v redis-server >/dev/null 2>&1; then
  echo "Installing redis-server (for the tests of the scaled set-up)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server; } \
    >/dev/null 2>&1 || echo "warning: could not install redis-server; the scaled set-up's tests cannot run" >&2
fi
# LibreOffice converts .doc/.wps (and the tests' .doc); the OCR tests render pages with Noto CJK.
if ! command -v soffice >/dev/null 2>&1 || [ ! -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ]; then
  echo "Installing LibreOffice and CJK fonts (for the .doc/.wps and OCR tests)…"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui fonts-noto-cjk; } \
    >/dev/null 2>&1 || echo "warning: could not install libreoffice/fonts-noto-cjk; their tests cannot run" >&2
fi
export NIANBAO_MODEL_DIR="${NIANBAO_MODEL_DIR:-$PWD/.cache}"
.venv/bin/python -m pytest "$@"
eval_dir=$(mktemp -d)
trap 'rm -rf "$eval_dir"' EXIT
# Every dataset in eval/datasets, ours against the two baselines; exit 1 below a dataset's thresholds (ours).
NIANBAO_DATA_DIR="$eval_dir" .venv/bin/nianbao eval --baselines --report test-artifacts/eval-report \
  --json-out test-artifacts/eval-report/results.json
# Development sets written by others (../shared/eval), over an index that holds real/, seed/ and the
# department reports together (a question about 平潭综合实验区 must still come from the area's own report).
# Thresholds guard what this stage reached; none of these questions' words were special-cased.
shared_eval="${NIANBAO_CORPUS_DIR:-}/../eval"
if [ -n "${NIANBAO_CORPUS_DIR:-}" ] && ls "$shared_eval"/dev-*.yaml >/dev/null 2>&1; then
  dev_dir=$(mktemp -d)
  trap 'rm -rf "$eval_dir" "$dev_dir"' EXIT
  NIANBAO_DATA_DIR="$dev_dir" .venv/bin/nianbao ingest "$NIANBAO_CORPUS_DIR/real" "$NIANBAO_CORPUS_DIR/seed" >/dev/null
  dev_sets=()
  for f in "$shared_eval"/dev-*.yaml; do dev_sets+=(--dataset "$f"); done
  NIANBAO_DATA_DIR="$dev_dir" .venv/bin/nianbao eval "${dev_sets[@]}" --baselines \
    --report test-artifacts/dev-report --json-out test-artifacts/dev-report/results.json \
    --threshold accuracy=0.95 --threshold refusal_recall=1.0 --threshold wrong_answers=0 --curve 0,1,2
else
  echo "Skipping the development sets: ../shared/eval is absent (set NIANBAO_CORPUS_DIR)."
fi
