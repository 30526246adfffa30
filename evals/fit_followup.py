"""Fit how much each sign that a question leans on the one before weighs (`answer.followup.signs`), and write the
weights to `assistant/rules/followup.toml`.

Usage:  pip install -e ".[fit]"; python evals/fit_followup.py

The examples are pairs of a question and the question asked before it, from the sets' text alone (no index is
needed): each follow-up (`follow_up_of`) with the question it follows (a follow-up), and every other question
with the question seven further on in its set, a question on another point of the same documents (no
follow-up). Fitted on the train sets (`evals/gold.jsonl`, `evals/train.jsonl`, `evals/corpus2/train.jsonl`),
with both kinds weighing as much in all (there are fifteen times more questions that stand alone); the
cut-off is even odds. It prints five-fold cross-validation on the train sets, grouped by question, and the
figures on the dev sets (`evals/heldout.jsonl`, `evals/corpus2/dev.jsonl`), which choose; the test sets are
not read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from assistant.answer.followup import signs

ROOT = Path(__file__).resolve().parent.parent
TRAIN = ["evals/gold.jsonl", "evals/train.jsonl", "evals/corpus2/train.jsonl"]
DEV = ["evals/heldout.jsonl", "evals/corpus2/dev.jsonl"]
OUT = ROOT / "assistant" / "rules" / "followup.toml"
SHIFT = 7  # how far on in its set the unrelated question put before a question that stands alone is
THRESHOLD = 0.5


def pairs(path: str) -> list[tuple[str, str, str, int]]:
    """(question id, question, the question before it, whether it is a follow-up of that one)."""
    questions = [json.loads(line) for line in (ROOT / path).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_id = {q["id"]: q for q in questions}
    alone = [q for q in questions if not q.get("follow_up_of")]
    found = [(q["id"], q["question"], by_id[q["follow_up_of"]]["question"], 1)
             for q in questions if q.get("follow_up_of") in by_id]
    found += [(q["id"], q["question"], alone[(i + SHIFT) % len(alone)]["question"], 0) for i, q in enumerate(alone)]
    return found


def main() -> int:
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import GroupKFold, cross_val_predict

    def table(paths: list[str]) -> tuple[np.ndarray, np.ndarray, list[str]]:
        rows = [(f"{p}:{i}", signs(q, before), label) for p in paths for i, q, before, label in pairs(p)]
        return (np.array([[s[n] for n in names] for _, s, _ in rows]), np.array([label for *_, label in rows]),
                [g for g, _, _ in rows])

    names = list(signs("?", "?"))
    x, y, groups = table(TRAIN)
    model = LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000)
    folds = cross_val_predict(model, x, y, groups=groups, cv=GroupKFold(5), method="predict_proba")[:, 1]
    model.fit(x, y)
    dev_x, dev_y, _ = table(DEV)
    dev = model.predict_proba(dev_x)[:, 1]
    for name, p, truth in (("train (cross-validated)", folds, y), ("dev", dev, dev_y)):
        found = p > THRESHOLD
        print(f"{name}: AUC {roc_auc_score(truth, p):.3f}; follow-ups found {int((found & (truth == 1)).sum())} of "
              f"{int(truth.sum())}, other questions taken for one {int((found & (truth == 0)).sum())} of "
              f"{int((truth == 0).sum())}")
    weights = "\n".join(f"{n} = {w:.4f}" for n, w in zip(names, model.coef_[0], strict=True))
    OUT.write_text(
        "# How much each sign that a question leans on the one before weighs (`answer.followup.signs`): a logistic\n"
        "# regression written by evals/fit_followup.py from the train sets. Do not edit by hand: refit.\n\n"
        f"[model]\nintercept = {model.intercept_[0]:.4f}\nthreshold = {THRESHOLD}\n\n[model.weights]\n{weights}\n",
        encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
