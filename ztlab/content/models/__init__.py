from ztlab.content.models.card import Card, Deck, Snippet
from ztlab.content.models.lab import Lab, Objective
from ztlab.content.models.lesson import Lesson, Section

__all__ = ["Card", "Deck", "Lab", "Lesson", "Objective", "Section", "Snippet"]
