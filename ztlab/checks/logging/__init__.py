"""logging checks."""
