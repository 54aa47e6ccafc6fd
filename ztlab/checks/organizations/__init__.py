"""organizations checks."""
