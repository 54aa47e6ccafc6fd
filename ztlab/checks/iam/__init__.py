"""iam checks."""
