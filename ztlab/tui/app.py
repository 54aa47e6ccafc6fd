"""The ztlab app: sections as Textual modes, content and settings loaded after the first paint.

State flows down through reactive attributes (`course`, `settings`, `progress_version`) that
screens watch; requests flow up as messages from `ztlab.tui.messages`, handled here.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from textual import events, work
from textual.app import App, SystemCommand
from textual.reactive import var
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from ztlab.locations import locations
from ztlab.tui import messages
from ztlab.tui.keymap import APP_BINDINGS, unknown_ids
from ztlab.tui.loading import load_everything, peek_theme
from ztlab.tui.progress_source import NoProgressSource, ProgressSource, lessons_done
from ztlab.tui.screens import SECTIONS, instructor_available
from ztlab.untrusted.text import safe_block, safe_line

if TYPE_CHECKING:
    from ztlab.content import Course, Problem
    from ztlab.settings import Settings


class ZtlabApp(App[None]):
    TITLE = "ztlab"
    SUB_TITLE = "zero trust on AWS"
    CSS_PATH = "styles/app.tcss"
    MODES = {section.mode: section.factory() for section in SECTIONS}
    DEFAULT_MODE = SECTIONS[0].mode  # start in Home directly, no blank default screen first
    BINDINGS = APP_BINDINGS
    # Below 100 columns screens drop their side panels (reader facts) or show one pane at a time (lab).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    COMMANDS = App.COMMANDS | {lambda: _commands_provider()}

    # None until the background load finishes (or when the content has problems).
    course: var[Course | None] = var(None, always_update=True)
    settings: var[Settings | None] = var(None, always_update=True)
    # Bumped whenever lesson progress changes, so screens re-read the progress source.
    progress_version: var[int] = var(0)

    def __init__(
        self,
        content_dirs: Iterable[Path] = (),
        *,
        include_builtin: bool = True,
        progress: ProgressSource | None = None,
        open_store: bool = False,
    ) -> None:
        super().__init__()
        self.content_dirs = [Path(p) for p in content_dirs]
        self.include_builtin = include_builtin
        self.progress: ProgressSource = progress if progress is not None else NoProgressSource()
        self.progress_attached = progress is not None
        # run_app asks for the learner's store, opened once the settings are read (after first paint).
        self.open_store = open_store and progress is None
        self.progress_problem: str | None = None
        self.content_problems: list[Problem] = []
        self.settings_problem: str | None = None
        self.content_loading = True

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = False) -> None:
        """Every toast quotes something untrusted (a lesson's title, a sandbox or store error, a
        script's output): shown inert, as plain text, whoever calls (a widget's notify ends here,
        passing `markup`, which is never honoured)."""
        super().notify(safe_block(message), title=safe_line(title), severity=severity, timeout=timeout,
                       markup=False)

    # -- start-up ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        theme = peek_theme(locations().config_file)
        if theme in self.available_themes:
            self.theme = theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        # Load after the first frame is on screen: importing pydantic and parsing YAML would
        # otherwise hold the first paint back.
        self.call_after_refresh(self.load)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def load(self) -> None:
        self.post_message(messages.Loaded(load_everything(self.content_dirs, self.include_builtin)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # Content and settings problems arrive as a Loaded message; this is for the unexpected
        # (an unreadable folder, a bug): say what happened instead of loading forever.
        if event.worker.group == "load" and event.state is WorkerState.ERROR:
            self.content_loading = False
            self.course = None
            self.notify(f"{type(event.worker.error).__name__}: {event.worker.error}\n"
                        "Try `ztlab content check` in a shell, then reload (ctrl+p → Reload content).",
                        title="Could not load the course", severity="error", timeout=30)

    def on_loaded(self, message: messages.Loaded) -> None:
        outcome = message.outcome
        self.content_loading = False
        self.settings_problem = outcome.settings_problem
        self.settings = outcome.settings
        self._apply_settings(outcome.settings)
        if outcome.settings_problem:
            self.notify(
                outcome.settings_problem + "\nUsing the default settings until then.",
                title="Settings file problem", severity="error", timeout=15,
            )
        self.content_problems = outcome.content_problems
        if self.open_store:
            self.open_store = False
            self.open_progress(outcome.settings)
        self.course = outcome.course
        if outcome.content_problems:
            from ztlab.tui.screens.problems import ProblemsScreen

            self.push_screen(ProblemsScreen(outcome.content_problems))

    def _apply_settings(self, settings: Settings) -> None:
        if settings.theme in self.available_themes:
            if self.theme != settings.theme:
                self.theme = settings.theme
        else:
            self.notify(f"Unknown theme '{settings.theme}' in the settings; using {self.theme}.", severity="warning")
        self.set_keymap(settings.keymap)
        unknown = unknown_ids(settings.keymap)
        if unknown:
            self.notify(
                "The keymap in the settings names bindings that do not exist: " + ", ".join(unknown)
                + ". Press ? on any screen to see binding ids.",
                title="Keymap", severity="warning", timeout=10,
            )

    def action_reload_content(self) -> None:
        if isinstance(self.screen, _problems_screen_type()):
            self.pop_screen()
        self.content_loading = True
        self.course = None
        self.load()

    # -- settings ---------------------------------------------------------------------------------

    def change_setting(self, name: str, value: object) -> Settings:
        """Validate, save at once, and apply. Raises InvalidSetting (nothing saved) on bad input."""
        from ztlab.settings import save_settings
        from ztlab.tui.settings_form import InvalidSetting, updated

        if self.settings is None:
            raise InvalidSetting("settings are still loading")
        if self.settings_problem:
            raise InvalidSetting("the settings file has a problem; fix it or start over with defaults")
        if name == "theme" and value not in self.available_themes:
            raise InvalidSetting(f"unknown theme '{value}'")
        new = updated(self.settings, name, value)
        if new == self.settings:
            return new
        save_settings(new)
        self.settings = new
        if name == "theme" and self.theme != value:
            self.theme = str(value)
        return new

    def reset_broken_settings(self) -> Path:
        """Keep the broken file beside the new one (lose nothing), then save the defaults."""
        from ztlab.settings import Settings, save_settings

        path = locations().config_file
        kept = path.with_name(path.name + ".broken")
        if path.exists():
            path.replace(kept)
        self.settings_problem = None
        self.settings = Settings(theme=self.theme)
        save_settings(self.settings)
        return kept

    def watch_settings(self, settings: Settings | None) -> None:
        # Limits and retention apply at once: the store schedules and counts with them from now on
        # (screens watching `settings` then show the new numbers).
        store = self.card_store
        if settings is not None and store is not None and hasattr(store, "apply_settings"):
            store.apply_settings(settings)

    def _theme_changed(self, theme: Any) -> None:
        # Themes picked from the command palette are saved like those picked in Settings.
        if self.settings is not None and not self.settings_problem and self.settings.theme != theme.name:
            self.change_setting("theme", theme.name)

    # -- navigation -------------------------------------------------------------------------------

    def action_back(self) -> None:
        """Escape: close the dialog or leave the lesson/lab; from a section's first screen, Home."""
        if len(self.screen_stack) > 1:
            self.pop_screen()
        elif self.current_mode != "home":
            self.switch_mode("home")

    def _screen_changed(self, screen: Screen) -> None:
        from textual._time import get_time  # the clock key events are stamped with

        self._screen_since = get_time()

    _screen_since: float = 0.0  # when the screen on top last changed (published as it happens)

    async def on_event(self, event: events.Event) -> None:
        # A key typed before the current screen was put on top was meant for the one before it
        # (Enter pressed twice on the lab list must not act on the lab screen): drop it.
        if isinstance(event, events.Key) and not event.is_forwarded and event.time < self._screen_since:
            return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "switch_mode" and parameters and parameters[0] == "instructor":
            return instructor_available()
        return True

    def action_help(self) -> None:
        from ztlab.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    async def on_show_lessons(self, message: messages.ShowLessons) -> None:
        await self._to_lessons_root()
        self.screen.highlight_principle(message.principle)

    async def on_open_lesson(self, message: messages.OpenLesson) -> None:
        from ztlab.tui.screens.reader import LessonReaderScreen

        if self.course is None or message.lesson_id not in self.course.lessons:
            self.notify(f"No lesson '{message.lesson_id}' in the course.", severity="warning")
            return
        await self._to_lessons_root()
        self.screen.highlight_lesson(message.lesson_id)
        await self.push_screen(LessonReaderScreen(message.lesson_id))

    async def _to_lessons_root(self) -> None:
        await self.switch_mode("lessons")
        while len(self.screen_stack) > 1:
            await self.pop_screen()

    # -- progress ---------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="progress", exit_on_error=False)
    def open_progress(self, settings: Any) -> None:
        from ztlab.tui.progress_store import open_progress_store

        self.post_message(messages.ProgressOpened(*open_progress_store(settings)))

    def on_progress_opened(self, message: messages.ProgressOpened) -> None:
        if message.store is None:
            self.progress_problem = message.problem
            self.notify(f"{message.problem}\nLessons, labs and cards still work; nothing is saved until then.",
                        title="Progress not available", severity="error", timeout=30)
            self.progress_version += 1
            return
        self.attach_progress(message.store)

    def attach_progress(self, progress: ProgressSource) -> None:
        """Attach a progress store after start-up (e.g. one opened in the loading worker)."""
        self.progress = progress
        self.progress_attached = True
        self.progress_version += 1
        self.refresh_bindings()

    @property
    def card_store(self) -> Any:
        """The ProgressStore behind reviews, stats and lab scores, or None (not open / no store)."""
        from ztlab.tui.progress_store import is_card_store

        return self.progress if is_card_store(self.progress) else None

    def lessons_done(self) -> frozenset[str]:
        return lessons_done(self.progress)

    def on_mark_lesson_done(self, message: messages.MarkLessonDone) -> None:
        if not self.progress_attached:
            return
        try:
            if message.done:
                self.progress.mark_lesson_done(message.lesson_id)
            else:
                self.progress.mark_lesson_not_done(message.lesson_id)
        except Exception as exc:  # StoreError (damaged or locked database): say so, keep the app up
            self.notify(str(exc), title="Progress not saved", severity="error", timeout=20)
            return
        self.progress_version += 1
        title = self.course.lessons[message.lesson_id].title if self.course else message.lesson_id
        self.notify(f"{title}: {'done' if message.done else 'not done'}.", title="Progress saved")

    # -- review and labs --------------------------------------------------------------------------

    async def on_review_cards(self, message: messages.ReviewCards) -> None:
        await self.switch_mode("review")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        self.screen.set_lesson_filter(message.lesson_id)

    async def on_open_lab(self, message: messages.OpenLab) -> None:
        from ztlab.tui.screens.lab import LabScreen

        if self.course is None or message.lab_id not in self.course.labs:
            self.notify(f"No lab '{message.lab_id}' in the course.", severity="warning")
            return
        await self.switch_mode("labs")
        while len(self.screen_stack) > 1:
            await self.pop_screen()
        await self.push_screen(LabScreen(message.lab_id))

    # -- command palette --------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Help: keys on this screen", "Every key binding of the current screen", self.action_help)
        yield SystemCommand("Reload content", "Read the lessons, cards and labs again", self.action_reload_content)


def _commands_provider() -> type:
    from ztlab.tui.commands import ZtlabCommands  # imported when the palette first opens

    return ZtlabCommands


def _problems_screen_type() -> type:
    from ztlab.tui.screens.problems import ProblemsScreen

    return ProblemsScreen


def run_app(content_dirs: Iterable[Path] = ()) -> None:
    app = ZtlabApp(content_dirs=content_dirs, open_store=True)
    app.run()
    if app.card_store is not None:
        app.card_store.close()
