"""Answer-writing models behind LangChain's chat-model interface, chosen in one place from settings.

`ollama` talks to an Ollama server through `langchain-ollama`; `openai` to any server that speaks the OpenAI chat
API through `langchain-openai`; `embedded` runs a GGUF model in this process with llama.cpp (the `embedded`
extra); `extractive` has no model: the answer quotes the evidence. `auto` takes Ollama when it has the model,
else the configured OpenAI-compatible server when it answers, else `extractive`; it never loads the embedded model,
whose small base model writes worse answers than the quotes.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.language_models import BaseChatModel

from assistant.config import BACKENDS, Settings
from assistant.models import servers
from assistant.types import AssistantError


@dataclass
class Backend:
    """The model that writes answers, as the pipeline and the user see it."""

    name: str
    model: str | None = None
    chat: BaseChatModel | None = None
    # Instruction-tuned models follow the prompt's instructions; base models only continue its pattern.
    instructed: bool = False
    reason: str = "chosen with --backend or the `llm.backend` setting"  # said once when a command starts

    @property
    def line(self) -> str:
        """The one line `ask`, `chat` and `serve` start with: which backend answers, and why."""
        who = f"{self.name} ({self.model})" if self.model else self.name
        if self.chat is None:
            who += ": answers quote the documents, no language model writes them"
        return f"answers by {who}; {self.reason}"


def ollama_problem(settings: Settings) -> str | None:
    """Why the Ollama backend cannot answer now (server down, model not pulled), or None when it can."""
    return servers.probe_ollama(settings).problem


def ollama(settings: Settings, probe: servers.Probe | None = None) -> Backend:
    """The configured Ollama model, after checking that the server is up and has it."""
    probe = probe or servers.probe_ollama(settings)
    if probe.problem:
        raise AssistantError(probe.problem)
    model = settings.llm.ollama_model
    return Backend("ollama", model, servers.ollama_chat(settings), instructed=True)


def openai(settings: Settings, probe: servers.Probe | None = None) -> Backend:
    """The configured model on an OpenAI-compatible server (its only or first model when none is configured),
    after checking that the server answers, takes the key and has the model."""
    probe = probe or servers.probe_openai(settings)
    if probe.problem:
        raise AssistantError(probe.problem)
    model = settings.llm.openai_model or probe.models[0]
    return Backend("openai", model, servers.openai_chat(settings, model), instructed=True)


def embedded(settings: Settings) -> Backend:
    """The in-process llama.cpp model (the `embedded` extra); the first call loads it."""
    from assistant.models import llamacpp

    chat = llamacpp.embedded(settings)
    return Backend("embedded", chat.model_path.rsplit("/", 1)[-1], chat, chat.instructed)


def get_backend(settings: Settings, name: str | None = None) -> Backend:
    """The backend named (or configured); for `auto`, `reason` says why it was picked, or why the servers passed
    over could not answer."""
    name = name or settings.llm.backend
    if name not in BACKENDS:
        raise AssistantError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if name == "extractive":
        return Backend("extractive")
    if name == "embedded":
        return embedded(settings)
    if name == "ollama":
        return ollama(settings)
    if name == "openai":
        return openai(settings)
    return automatic(settings)


def automatic(settings: Settings) -> Backend:
    """Ollama when it has the model, else the configured OpenAI-compatible server when it answers, else none."""
    found = servers.probe_ollama(settings)
    if found.problem is None:
        backend = ollama(settings, found)
        backend.reason = f"Ollama at {found.url} has the model"
        return backend
    passed = [found.problem]
    if settings.llm.openai_base_url:
        served = servers.probe_openai(settings)
        if served.problem is None:
            backend = openai(settings, served)
            backend.reason = f"Ollama cannot answer; the OpenAI-compatible server at {served.url} has the model"
            return backend
        passed.append(served.problem)
    return Backend("extractive", reason="; ".join(passed))
