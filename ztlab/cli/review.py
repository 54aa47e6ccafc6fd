"""`ztlab review --plain`: a line-based review loop for screen readers and scripts.

Every prompt reads one line; end of input stops cleanly. A line starting with `saved` is
printed only after the answer is committed to the progress store.
"""

from __future__ import annotations

import sys

import click

from ztlab.cli.common import load_course_for_cli
from ztlab.cli.srs_common import filter_options, make_filter, open_store
from ztlab.untrusted.text import safe_block

KEYS = "u undo, s suspend, b bury, q quit"


def say(text: str = "") -> None:
    click.echo(safe_block(text))  # card text comes from content packs: never let it drive the terminal
    sys.stdout.flush()  # a script waiting on "saved" must see it now, not when a buffer fills


def ask(prompt: str) -> str | None:
    """One line from stdin, lower-cased and stripped; None at end of input."""
    say(prompt)
    line = sys.stdin.readline()
    return None if line == "" else line.strip().lower()


@click.command()
@click.option("--plain", is_flag=True, help="Line-based loop (screen readers, scripts). The app has its own Review screen.")
@click.option("--ahead", is_flag=True, help="Practice mode: review ahead, weakest first; the schedule does not change.")
@filter_options
@click.pass_context
def review(ctx: click.Context, plain: bool, ahead: bool, lesson: str | None, principle: str | None, tag: str | None) -> None:
    """Review today's flashcards: front, Enter, back, then rate 1-4 (again/hard/good/easy)."""
    course = load_course_for_cli(ctx)
    filters = make_filter(ctx, course, lesson, principle, tag)
    if not plain:
        say("(Plain review; the app's Review screen opens with `ztlab`.)")
    with open_store(ctx) as store:
        _loop(store, course, filters, ahead)


def _loop(store, course, filters, practice: bool) -> None:
    from ztlab.srs import RATING_NAMES, ChangedElsewhere, ReviewSession, describe_interval, parse_rating
    from ztlab.srs import stats as compute_stats

    session = ReviewSession(store, course, filters=filters, practice=practice)
    mode = "practice (review ahead; the schedule does not change)" if practice else "today's queue"
    say(f"ztlab review: {mode}, {filters.describe()}.")
    say(f"Enter shows the answer; rate with 1-4 or again/hard/good/easy; {KEYS}.")
    if not practice and not filters:
        say(f"Today: {compute_stats(store, course).describe_today()}.")

    def stop(reason: str) -> None:
        say(f"{reason} {session.answered} answer(s) saved this session.")

    while True:
        item = session.next_card()
        if item is None:
            stop("No more cards to review now." if not practice else "Practised every card.")
            return
        counts = session.counts()
        say()
        labs = f", {counts['lab']} from labs" if counts["lab"] else ""
        left = f"{counts['practice']} practice" if practice else f"{counts['learning']} learning, {counts['review']} review, {counts['new']} new{labs}"
        say(f"[{left}] "
            f"card {item.card_id} ({item.kind}; lesson {course.card_lesson.get(item.card_id, '?')}; {item.card.principle})")
        recall = session.retrievability()
        if recall is not None:
            say(f"Chance of recall now: {recall:.0%}")
        say(f"Q: {item.card.front}")
        if item.card.snippet:
            say(f"--- {item.card.snippet.language}")
            say(item.card.snippet.code)
            say("---")
        command = ask(f"Press Enter to show the answer ({KEYS}).")
        if command is None:
            return stop("End of input.")
        if command in ("q", "quit"):
            return stop("Stopped.")
        if command in ("u", "s", "b"):
            _command(session, command)
            continue
        say(f"A: {item.card.back}")
        if item.card.explanation:
            say(f"Why: {item.card.explanation}")
        previews = session.preview()
        buttons = "  ".join(f"{int(r)} {RATING_NAMES[r]} ({describe_interval(previews[r])})" for r in previews)
        note = "  (practice: no schedule change)" if practice else ""
        while True:
            answer = ask(f"Rate: {buttons}{note}; {KEYS}.")
            if answer is None:
                return stop("End of input.")
            if answer in ("q", "quit"):
                return stop("Stopped.")
            if answer in ("u", "s", "b"):
                _command(session, answer)
                break
            rating = parse_rating(answer)
            if rating is None:
                say(f"Not understood: {answer!r}. Type 1-4, again/hard/good/easy, or {KEYS}.")
                continue
            try:
                outcome = session.answer(rating)
            except ChangedElsewhere as exc:
                say(f"not saved: {exc} Next card.")
                break
            if outcome.practice:
                say(f"saved: {outcome.card_id} rated {RATING_NAMES[rating]}, review #{outcome.review_id} (practice, schedule unchanged)")
            else:
                say(f"saved: {outcome.card_id} rated {RATING_NAMES[rating]}, review #{outcome.review_id}, next in {describe_interval(outcome.interval)}")
            if outcome.became_leech:
                say(f"Leech: {outcome.card_id} has been forgotten {outcome.after.lapses} times; it is tagged `leech` and suspended. "
                    "Rewrite it, or unsuspend it to keep trying.")
            break


def _command(session, key: str) -> None:
    if key == "u":
        result = session.undo()
        say("Nothing to undo." if result is None else f"Undone: {result.action} of {result.card_id}.")
    elif key == "s":
        card_id = session.current.card_id
        session.suspend()
        say(f"Suspended {card_id} (undo with u).")
    else:
        card_id = session.current.card_id
        session.bury()
        say(f"Buried {card_id} until tomorrow (undo with u).")
