"""Hands-on labs: set up an insecure emulated account, grade the learner's fix against the real
account state (`runtime`, `grading`, `objectives/`), record progress and evidence. Shells call in;
nothing here prints or knows Textual or click."""
