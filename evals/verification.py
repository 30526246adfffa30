"""Precision and recall of answer verification (`cite.verify`) on hand-written model answers.

Usage:  python evals/verification.py [--set evals/paraphrases.dev.jsonl] [--show]

Each line of a set is a question, the evidence sentences a model was given (copied verbatim from the corpus),
an answer a model might write with `[n]` markers in its `language` (the quotes' is `quote_language`, "nl" when
not given), and whether the evidence supports it (`supported`), with the kind of paraphrase or error (`kind`:
translation, paraphrase, negation, neighbour, number, ...). An answer
verifies when no sentence of it is removed: an unsupported claim must be cut, a faithful paraphrase must stand.
Precision is the share of verified answers that are supported; recall the share of supported answers that
verify. `dev` is for choosing, `test` is reported once. The verification runs with the settings in force
(`answer.min_support`, `answer.min_pair_support`, `answer.min_word_similarity`, `answer.min_cross_similarity`),
as in `ModelWriter.verified`.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from assistant.answer import cite
from assistant.config import Settings
from assistant.models.embeddings import texts_alike

ROOT = Path(__file__).resolve().parent.parent


def similarity(settings: Settings):
    """The embedding similarity `ModelWriter` uses for an answer in another language than its quotes."""
    alike = texts_alike(settings)
    return lambda sentence, quotes: alike([sentence], quotes)[0].tolist()


def verifies(item: dict, settings: Settings, similar) -> bool:
    """Whether the answer stands whole: not declined, something kept, nothing removed."""
    a = settings.answer
    sources = [item.get("quote_language", "nl")] * len(item["quotes"])
    cross = item["language"] != sources[0]
    result = cite.verify(item["answer"], item["quotes"], item["question"], min_support=a.min_support,
                         min_pair_support=a.min_pair_support, language=item["language"], quote_languages=sources,
                         similarity=similar if cross else None,
                         min_similarity=a.min_cross_similarity, words_alike=texts_alike(settings),
                         min_word_similarity=a.min_word_similarity)
    return bool(result.claims) and not result.removed and not result.declined


def score(items: list[dict], settings: Settings) -> dict:
    similar = similarity(settings)
    outcome = [(item, verifies(item, settings, similar)) for item in items]
    kept = [i for i, ok in outcome if ok]
    supported = [i for i, _ in outcome if i["supported"]]
    true = [i for i in kept if i["supported"]]
    by_kind = Counter((i["kind"], i["language"], ok == i["supported"]) for i, ok in outcome)
    return {
        "items": len(items), "precision": len(true) / len(kept) if kept else 0.0,
        "recall": len(true) / len(supported) if supported else 0.0,
        "recall_nl": _share([ok for i, ok in outcome if i["supported"] and i["language"] == "nl"]),
        "recall_en": _share([ok for i, ok in outcome if i["supported"] and i["language"] == "en"]),
        "rejected": _share([not ok for i, ok in outcome if not i["supported"]]),
        "by_kind": {f"{k} {lang}": f"{by_kind[(k, lang, True)]}/{by_kind[(k, lang, True)] + by_kind[(k, lang, False)]}"
                    for k, lang in sorted({(k, lang) for k, lang, _ in by_kind})},
        "wrong": [i["id"] for i, ok in outcome if ok != i["supported"]],
    }


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", type=Path, default=ROOT / "evals" / "paraphrases.dev.jsonl")
    parser.add_argument("--show", action="store_true", help="Also list the ids verification got wrong.")
    args = parser.parse_args()
    items = [json.loads(line) for line in args.set.read_text(encoding="utf-8").splitlines() if line.strip()]
    result = score(items, Settings())
    wrong = result.pop("wrong")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.show:
        print("wrong:", " ".join(wrong))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
