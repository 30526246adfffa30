"""The language rules in `assistant/rules/*.toml`: every rule says why it exists, matches each of its examples and
none of its non-examples; the word lists are whole."""

from __future__ import annotations

import pytest

from assistant.text import rules

RULES = [r for kind in rules.kinds() if kind != "words" for r in rules.rules(kind).values()]


def test_the_rules_are_read() -> None:
    assert {"instructions", "questions", "evidence", "words"} <= set(rules.kinds())
    assert len(rules.rules("instructions")) >= 15 and len(RULES) >= 30


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.kind}:{r.name}")
def test_a_rule_matches_its_examples_and_not_its_non_examples(rule: rules.Rule) -> None:
    assert rule.why.strip() and rule.examples and rule.non_examples, "a rule needs a reason, examples and non-examples"
    assert [e for e in rule.examples if not rule.pattern.search(e)] == []
    assert [e for e in rule.non_examples if rule.pattern.search(e)] == []


def test_the_instruction_rules_together_catch_every_example_and_no_non_example() -> None:
    """A non-example of one instruction rule is ordinary policy text: no other instruction rule may catch it."""
    caught = rules.any_rule("instructions")
    every = rules.rules("instructions").values()
    assert [e for r in every for e in r.examples if not caught.search(e)] == []
    assert [e for r in every for e in r.non_examples if caught.search(e)] == []


def test_word_lists() -> None:
    assert len(rules.words("months.nl")) == len(rules.words("months.en")) == 12
    for language in ("nl", "en"):
        numbers = rules.words(f"numbers.{language}")
        assert all(isinstance(n, int) and n >= 2 for n in numbers.values())
        assert sorted(numbers.values()) == sorted(set(numbers.values())), "one word per number and language"
    assert rules.words("numbers.nl")["twintig"] == rules.words("numbers.en")["twenty"] == 20


def test_placeholders_expand_to_fragments_tables_and_word_lists() -> None:
    assert "(?:(?:uit|met" in rules.rule("questions", "asks-count").pattern  # a fragment
    assert "kamerstuk\\w*|moties?" in rules.rule("questions", "reference").pattern  # a table's keys
    assert rules.rule("evidence", "day-en").search("sent on 7 July 2023")  # a word list
    assert not rules.rule("evidence", "day-en").search("sent on 7 Julyish")
    assert "${" not in "".join(r.pattern.pattern for r in RULES)
