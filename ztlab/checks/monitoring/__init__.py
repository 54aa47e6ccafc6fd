"""monitoring checks."""
