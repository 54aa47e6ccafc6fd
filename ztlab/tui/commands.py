"""The command palette (ctrl+p): every section, every lesson by title, the actions of the screen
it was opened over (its bindings with ids, so a new screen's keys show up here by themselves), and
the app's actions.

Textual's own system commands (theme, quit, keys, screenshot) come from `App.COMMANDS`;
`ZtlabApp.get_system_commands` adds help and reload.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Callable

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ztlab.tui import messages
from ztlab.tui.inert import markup_line, markup_title
from ztlab.tui.screens import available_sections

if TYPE_CHECKING:
    from ztlab.tui.app import ZtlabApp


def _screen_bindings(screen) -> list:
    """(binding, node) for the screen's own enabled bindings; sections and help are listed apart."""
    seen, found = set(), []
    for active in screen.active_bindings.values():
        binding = active.binding
        if not binding.id or binding.id.startswith(("go.", "app.")) or not active.enabled or binding.id in seen:
            continue
        seen.add(binding.id)
        found.append((binding, active.node))
    return found


class ZtlabCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: ZtlabApp = self.app  # type: ignore[assignment]
        found: list[tuple[str, str, Callable[[], object]]] = [
            (f"Go to {s.title}", s.help, partial(app.switch_mode, s.mode)) for s in available_sections()
        ]
        for binding, node in _screen_bindings(self.screen):
            title = f"{markup_title(self.screen.sub_title or 'This screen')}: {binding.description}"
            found.append((title, f"key: {app.get_key_display(binding)}",
                          partial(app.run_action, binding.action, node)))
        if app.course is not None:
            for lesson in app.course.ordered_lessons():
                found.append((f"Open lesson: {markup_title(lesson.title)}", markup_line(lesson.summary, 200),
                              partial(app.post_message, messages.OpenLesson(lesson.id))))
                found.append((f"Review cards of lesson: {markup_title(lesson.title)}", "Today's queue, only this lesson's cards",
                              partial(app.post_message, messages.ReviewCards(lesson.id))))
            for lab in sorted(app.course.labs.values(), key=lambda lab: lab.title):
                found.append((f"Open lab: {markup_title(lab.title)}", f"{lab.difficulty}, about {lab.minutes} min",
                              partial(app.post_message, messages.OpenLab(lab.id))))
        return found

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
