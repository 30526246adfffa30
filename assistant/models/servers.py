"""Model servers the assistant can write answers with: Ollama (its own API) and any server that speaks the OpenAI
chat API (vLLM, llama.cpp's server, LM Studio, LiteLLM, Ollama's `/v1`). Each is asked what it has before it is
chosen, so a server that is down, refuses the key or lacks the model is reported in one line, not mid-answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from langchain_core.language_models import BaseChatModel

from assistant.config import Settings


@dataclass
class Probe:
    """What a server said when asked for its models: the models, or why it cannot answer."""

    url: str
    models: list[str] = field(default_factory=list)
    problem: str | None = None


def probe_ollama(settings: Settings) -> Probe:
    """The models Ollama has, and the problem (down, model not pulled) that keeps it from answering."""
    from ollama import Client

    host, model = settings.ollama_host, settings.llm.ollama_model
    try:
        listed = Client(host=host, timeout=3).list()
    except Exception as exc:  # connection refused, timeout, bad address, a non-Ollama server
        return Probe(host, problem=f"Ollama is not reachable at {host} ({type(exc).__name__}); start it with "
                                   "`ollama serve`")
    names = [m.model or "" for m in listed.models]
    probe = Probe(host, names)
    if not any(n == model or n == f"{model}:latest" for n in names):
        probe.problem = f"Ollama at {host} has no model {model!r}; run `ollama pull {model}`"
    return probe


def ollama_chat(settings: Settings) -> BaseChatModel:
    from langchain_ollama import ChatOllama

    return ChatOllama(model=settings.llm.ollama_model, base_url=settings.ollama_host, temperature=0,
                      num_ctx=settings.llm.context_tokens, num_predict=settings.llm.max_tokens,
                      client_kwargs={"timeout": settings.llm.timeout_s})


def _api_key(settings: Settings) -> str:
    key = settings.llm.openai_api_key
    # local servers (llama.cpp, vLLM without --api-key) take any key, but the client insists on one
    return key.get_secret_value() if key else "no-key"


def probe_openai(settings: Settings) -> Probe:
    """The models an OpenAI-compatible server lists (`GET /models`), and the problem that keeps it from answering:
    not configured, down, the key refused, or the configured model not among them."""
    import httpx

    url = (settings.llm.openai_base_url or "").rstrip("/")
    if not url:
        return Probe("", problem="no OpenAI-compatible server is configured (ASSISTANT_LLM__OPENAI_BASE_URL or "
                                 "OPENAI_BASE_URL)")
    try:
        response = httpx.get(f"{url}/models", headers={"Authorization": f"Bearer {_api_key(settings)}"}, timeout=3)
    except httpx.HTTPError as exc:
        return Probe(url, problem=f"the OpenAI-compatible server at {url} is not reachable ({type(exc).__name__})")
    if response.status_code in (401, 403):
        return Probe(url, problem=f"the OpenAI-compatible server at {url} refused the API key "
                                  f"({response.status_code}); set ASSISTANT_LLM__OPENAI_API_KEY or OPENAI_API_KEY")
    try:
        response.raise_for_status()
        names = [str(m["id"]) for m in response.json()["data"]]
    except (httpx.HTTPStatusError, ValueError, KeyError, TypeError) as exc:
        return Probe(url, problem=f"{url} does not answer as an OpenAI-compatible server: `GET /models` gave "
                                  f"{response.status_code} ({type(exc).__name__}); the base URL usually ends in /v1")
    probe = Probe(url, names)
    model = settings.llm.openai_model
    if model and model not in names:
        probe.problem = (f"the OpenAI-compatible server at {url} has no model {model!r}; it has: "
                         f"{', '.join(names) or 'none'}")
    elif not model and not names:
        probe.problem = f"the OpenAI-compatible server at {url} lists no models"
    return probe


def openai_chat(settings: Settings, model: str) -> BaseChatModel:
    from langchain_openai import ChatOpenAI

    # newer clients send `max_completion_tokens`, which older servers ignore: `max_tokens` is sent as well
    return ChatOpenAI(model=model, base_url=settings.llm.openai_base_url, api_key=_api_key(settings),
                      temperature=0, timeout=settings.llm.timeout_s, max_retries=0, streaming=True,
                      max_tokens=settings.llm.max_tokens, extra_body={"max_tokens": settings.llm.max_tokens})


def failure(exc: BaseException) -> str:
    """One line on why a model server failed mid-answer, for the notice under the quoted answer. Clients wrap the
    transport's error (openai's `APIConnectionError` around an `httpx2` error, ollama's around `httpx`'s), so the
    whole chain is read, by class name, which both transports share."""
    chain = [exc]
    while (cause := chain[-1].__cause__ or chain[-1].__context__) is not None and len(chain) < 6:
        chain.append(cause)
    names = {type(e).__name__ for e in chain}
    status = next((s for e in chain if isinstance(s := getattr(e, "status_code", None), int)), None)
    said = " ".join(str(exc).split())[:160]
    if status in (401, 403):
        return f"the model server refused the API key ({status})"
    if status == 404:
        return f"the model server does not have the model (404: {said})"
    if status is not None:
        return f"the model server answered with an error ({status}: {said})"
    if any("Timeout" in n for n in names) or any(isinstance(e, TimeoutError) for e in chain):
        return "the model server did not answer in time (llm.timeout_s)"
    if names & {"RemoteProtocolError", "ReadError", "IncompleteRead", "ChunkedEncodingError"}:
        return "the connection to the model server broke off mid-answer"
    if any("Connect" in n for n in names) or any(isinstance(e, ConnectionError) for e in chain):
        return "the model server could not be reached"
    return f"the model failed ({type(exc).__name__}: {' '.join(str(exc).split())[:200]})"
