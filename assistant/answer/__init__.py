"""Answering a question: evidence chosen before anything is written, responders that propose a draft, a model's
text verified against the quotes, or an abstention. `answerer.Answerer` is the entry point."""
