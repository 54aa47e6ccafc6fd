"""ztlab: learn zero-trust security on AWS, and prove it, in a terminal."""

__version__ = "0.1.0"
