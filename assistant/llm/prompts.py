"""The prompt files in prompts/ (one per task), loaded as LangChain chat prompt templates."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml
from langchain_core.prompts import ChatPromptTemplate

PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


class PromptFileError(RuntimeError):
    pass


@dataclass(frozen=True)
class PromptFile:
    name: str
    description: str
    variables: dict[str, str]  # name → what it holds, as the file documents it
    template: ChatPromptTemplate


@cache
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> PromptFile:
    """``prompts/<name>.yaml``: its system and human messages as one ChatPromptTemplate."""
    path = directory / f"{name}.yaml"
    if not path.is_file():
        raise PromptFileError(f"The prompt file {path} is missing: it ships with the repository's prompts/ folder.")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    missing = [key for key in ("description", "variables", "system", "human") if key not in data]
    if missing:
        raise PromptFileError(f"{path} lacks {', '.join(missing)}: see prompts/README.md for the format.")
    template = ChatPromptTemplate.from_messages([("system", data["system"]), ("human", data["human"])])
    return PromptFile(name, data["description"], dict(data["variables"]), template)
