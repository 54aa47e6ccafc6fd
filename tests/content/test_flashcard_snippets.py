"""Card snippets are shown to learners as real policies: a JSON snippet that does not parse teaches
syntax nobody could paste into AWS. The loader checks JSON in lesson bodies; this covers cards."""

import json

from ztlab import locations
from ztlab.content.located_yaml import load_located
from ztlab.content.models import Deck
from ztlab.content.validate import validate_document


def _shipped_cards():
    for file in sorted((locations.builtin_course_root() / "flashcards").glob("*.yaml")):
        doc, problems = load_located(file)
        assert doc is not None and not problems, problems
        deck, problems = validate_document(doc, Deck)
        assert deck is not None, problems
        yield from deck.cards


def test_json_snippets_on_shipped_cards_parse():
    broken = []
    for card in _shipped_cards():
        if card.snippet and card.snippet.language == "json":
            try:
                json.loads(card.snippet.code)
            except json.JSONDecodeError as exc:
                broken.append(f"{card.id}: {exc}")
    assert broken == []
