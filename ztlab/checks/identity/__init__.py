"""identity checks."""
