"""microcred: European micro-credentials end to end."""

__version__ = "0.1.0"
