"""network checks."""
