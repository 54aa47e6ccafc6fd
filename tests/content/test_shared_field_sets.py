"""Content objects share pydantic's record of which fields they were given (memory: 73 MB of a
100k-card course); that sharing must never let a change to one object show on another."""

from __future__ import annotations

from ztlab.content import load_course_or_raise
from ztlab.content.models.card import Card


def _card(card_id: str, **extra) -> Card:
    return Card.model_validate({"id": card_id, "kind": "basic", "principle": "least-privilege",
                                "front": "Which actions does s3:Get* cover?", "back": "Every S3 action starting with Get.", **extra})


def test_cards_given_the_same_fields_share_one_set_and_report_it_right():
    first, second, tagged = _card("shared-a"), _card("shared-b"), _card("shared-c", tags=["s3"])
    assert first.model_fields_set is second.model_fields_set
    assert "tags" in tagged.model_fields_set and "tags" not in first.model_fields_set
    assert first.model_dump(exclude_unset=True)["id"] == "shared-a"
    assert "tags" not in first.model_dump(exclude_unset=True)


def test_a_copy_with_changes_leaves_the_others_untouched():
    first, second = _card("copy-a"), _card("copy-b")
    changed = first.model_copy(update={"tags": ["iam"]})
    assert "tags" in changed.model_fields_set
    assert "tags" not in first.model_fields_set and "tags" not in second.model_fields_set


def test_the_loaded_course_shares_field_sets_across_its_cards():
    course = load_course_or_raise()
    distinct = {id(card.model_fields_set) for card in course.cards.values()}
    assert len(distinct) < len(course.cards) / 10
