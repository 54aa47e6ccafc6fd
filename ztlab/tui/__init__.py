"""The Textual app. The only package in ztlab that imports textual.

Layout (one pattern everywhere, so a new screen is one module plus one line):
- `app.py`: `ZtlabApp` (state, loading, message handlers) and `run_app`.
- `screens/`: one module per screen; `screens/__init__.py` lists the top-level sections.
- `widgets/`: small reusable widgets the screens compose.
- `keymap.py`: every key binding, each with an id the user can remap in settings.keymap.
- `messages.py`: the messages screens post to ask the app for something.
- `commands.py`: the command palette provider.
- `progress_source.py`: the Protocol the app reads lesson progress through.
- `progress_store.py`: opens the learner's `ztlab.srs.ProgressStore` off the main thread; `now()`
  is the clock Review and Stats use (tests replace it).
- `lab_actions.py`: what the lab screen's worker calls in `ztlab.labs.runtime` (imported in workers only).
- `styles/app.tcss`: the one stylesheet ($variables only, so every theme works).

Adding a section (Review, Stats, Labs):
1. `screens/review.py`: `class ReviewScreen(ZtlabScreen)` with `SECTION_TITLE`, `BINDINGS`,
   `compose_body()` and `refresh_content()` (called on mount and whenever the course, the settings
   or the progress change). Read state from `self.ztlab`; ask for things with a message.
2. One `Section(...)` line in `screens/__init__.py`: its key, mode and palette entry follow.
3. `REVIEW_BINDINGS` in `keymap.py` (ids like `review.reveal`), added to `ALL_BINDINGS`;
   Help and the command palette list them by themselves.
4. Styles in `styles/app.tcss` under a `/* -- review -- */` heading.
5. Blocking work (sandbox, grading) in `@work(thread=True)` workers that post messages; import
   boto3/moto inside the worker, never at module top, so the first paint stays fast.
"""
