"""EC2 instance checks."""
