"""The models behind the interfaces LangChain defines: chat backends (Ollama, the embedded llama.cpp model, none),
the embedder, and the prompts they are given."""
