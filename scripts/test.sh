#!/usr/bin/env bash
# README command 2: install, run the tests, then the evaluation datasets (non-zero below thresholds).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${NIANBAO_CORPUS_DIR:-}" ] && [ -d ../shared/corpus ]; then
  export NIANBAO_CORPUS_DIR="$(cd ../shared/corpus && pwd)"
fi
export HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false
export NIANBAO_MODEL_DIR="${NIANBAO_MODEL_DIR:-$PWD/.cache}"
.venv/bin/python -m pytest "$@"
eval_dir=$(mktemp -d)
trap 'rm -rf "$eval_dir"' EXIT
NIANBAO_DATA_DIR="$eval_dir" .venv/bin/nianbao eval
