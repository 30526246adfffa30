"""The dense side of a generation: its chunk vectors in Chroma, a folder of its own per generation in embedded
mode, or a collection of its own on a Chroma server."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from assistant.config import Settings
from assistant.models.embeddings import get_embeddings
from assistant.types import AssistantError, Chunk, DocumentMeta


def chunk_metadata(chunk: Chunk, meta: DocumentMeta) -> dict[str, Any]:
    """What a chunk's vector carries for filtering: its document, kind, date (as a number) and ordinal."""
    return {"doc_id": chunk.doc_id, "kind": meta.kind, "date": _date_number(meta.date), "ordinal": chunk.ordinal}


def _date_number(date: str | None) -> int:
    return int(date.replace("-", "")[:8].ljust(8, "0")) if date and date[:4].isdigit() else 0


class VectorStore:
    """Where one generation's vectors live: a Chroma folder of its own, or a collection on a server."""

    def __init__(self, settings: Settings, gen_dir: Path) -> None:
        self.settings = settings
        self.gen_dir = gen_dir

    @property
    def collection_name(self) -> str:
        """Embedded, each generation has a Chroma folder of its own; on a server, a collection of its own."""
        prefix = self.settings.chroma.collection
        return f"{prefix}-{self.gen_dir.name}" if self.settings.chroma.host else prefix

    def client(self) -> Any:
        """A Chroma client for this generation (embedded or on the configured server)."""
        import chromadb
        from chromadb.config import Settings as ChromaClientSettings

        client_settings = ChromaClientSettings(anonymized_telemetry=False, allow_reset=False)
        chroma = self.settings.chroma
        try:
            if chroma.host:
                return chromadb.HttpClient(host=chroma.host, port=chroma.port, settings=client_settings)
            return chromadb.PersistentClient(path=str(self.gen_dir / "chroma"), settings=client_settings)
        except Exception as exc:  # chromadb raises plain Exceptions for unreachable servers
            where = f"Chroma server {chroma.host}:{chroma.port}" if chroma.host else "the embedded Chroma index"
            raise AssistantError(f"cannot open {where}: {exc}") from exc

    def collection(self, create: bool = False, client: Any = None) -> Any:
        """This generation's Chroma collection (made, with cosine distance, when `create`)."""
        client = client or self.client()
        if create:
            return client.get_or_create_collection(
                self.collection_name, embedding_function=None, metadata={"hnsw:space": "cosine"}
            )
        try:
            return client.get_collection(self.collection_name, embedding_function=None)
        except Exception as exc:
            raise AssistantError(
                f"the vector collection {self.collection_name} is missing or damaged ({exc}); "
                "run `assistant ingest --rebuild`"
            ) from exc

    def vectorstore(self, create: bool = False) -> Any:
        """This generation's vectors as a LangChain `VectorStore`, embedding with the configured embedder."""
        from langchain_chroma import Chroma

        client = self.client()
        self.collection(create=create, client=client)  # a clear error when missing; created with cosine distance
        return Chroma(
            client=client,
            collection_name=self.collection_name,
            embedding_function=get_embeddings(self.settings),
            create_collection_if_not_exists=False,
        )

    def clone_into(self, target: VectorStore) -> None:
        """Copy this generation's vectors to `target` without embedding anything again."""
        if not self.settings.chroma.host:
            if (self.gen_dir / "chroma").exists():
                shutil.copytree(self.gen_dir / "chroma", target.gen_dir / "chroma")
            return
        source, dest = self.collection(), target.collection(create=True)
        total = source.count()
        for offset in range(0, total, 500):
            batch = source.get(offset=offset, limit=500, include=["embeddings", "documents", "metadatas"])
            if batch["ids"]:
                dest.add(ids=batch["ids"], embeddings=batch["embeddings"], documents=batch["documents"],
                         metadatas=batch["metadatas"])

    def drop(self) -> None:
        """Remove this generation's collection from the server (an embedded one goes with its folder)."""
        if self.settings.chroma.host:
            try:
                self.client().delete_collection(self.collection_name)
            except Exception:  # already gone: nothing to drop
                pass
