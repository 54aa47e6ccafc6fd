"""encryption checks."""
