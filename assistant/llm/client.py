"""The optional LLM: a LangChain chat model on any OpenAI-compatible endpoint, asked with a hard
deadline. Whatever goes wrong (timeout, HTTP error, malformed output) becomes one ModelFailed."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as DeadlineExceeded
from typing import TypeVar

from langchain_core.language_models import BaseChatModel
from langchain_core.prompt_values import PromptValue
from pydantic import BaseModel, ValidationError

from assistant.config import Settings

T = TypeVar("T", bound=BaseModel)

# The model is called off the request's thread so that a hung endpoint costs the user the timeout
# and not more: the call's own HTTP timeout ends the abandoned thread later.
_CALLS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="llm")
_JSON_OBJECT = re.compile(r"\{.*\}", re.DOTALL)


class ModelFailed(RuntimeError):
    """The model gave nothing usable; the message says what happened (shown to the staff)."""


def chat_model(settings: Settings) -> BaseChatModel | None:
    """The configured chat model, or None when no LLM is configured."""
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI  # only with an LLM configured: the default needs no client

    model = ChatOpenAI(
        base_url=settings.llm_base_url,
        model=settings.llm_model,
        # Local servers (Ollama, vLLM) take any key; the OpenAI client insists on one.
        api_key=settings.llm_api_key.get_secret_value() if settings.llm_api_key else "none",
        timeout=settings.llm_timeout,
        max_retries=0,
        temperature=0,
        streaming=True,
        model_kwargs={"response_format": {"type": "json_object"}} if settings.llm_json_mode else {},
    )
    # With a response_format the client streams through openai's beta resources, whose first use
    # imports them (seconds): pay that at start-up, not within a user's timeout.
    _ = model.root_client.beta
    return model


def ask_json(model: BaseChatModel, prompt: PromptValue, schema: type[T], *, timeout: float) -> T:
    """The model's reply to ``prompt``, streamed and parsed as ``schema``, within ``timeout`` seconds."""

    def call() -> str:
        return "".join(chunk.text for chunk in model.stream(prompt))

    future = _CALLS.submit(call)
    try:
        reply = future.result(timeout=timeout)
    except DeadlineExceeded:
        future.cancel()
        raise ModelFailed(f"no reply within {timeout:g} s") from None
    except Exception as exc:  # noqa: BLE001 - any failure of the endpoint means: answer without it
        raise ModelFailed(f"the endpoint failed: {type(exc).__name__}: {str(exc)[:200]}") from exc
    found = _JSON_OBJECT.search(reply)
    if not found:
        raise ModelFailed(f"the reply is not JSON: {reply[:120]!r}")
    try:
        return schema.model_validate(json.loads(found.group()))
    except (json.JSONDecodeError, ValidationError) as exc:
        raise ModelFailed(f"the reply is malformed: {str(exc).splitlines()[0][:160]}") from exc
