"""The Textual app. The only package in ztlab that imports textual.

Layout (one pattern everywhere, so a new screen is one module plus one line):
- `app.py`: `ZtlabApp` (state, loading, message handlers) and `run_app`.
- `screens/`: one module per screen; `screens/__init__.py` lists the top-level sections.
- `widgets/`: small reusable widgets the screens compose.
- `keymap.py`: every key binding, each with an id the user can remap in settings.keymap.
- `messages.py`: the messages screens post to ask the app for something.
- `commands.py`: the command palette provider.
- `progress_source.py`: the Protocol the app reads lesson progress through.
- `styles/app.tcss`: the one stylesheet ($variables only, so every theme works).
"""
