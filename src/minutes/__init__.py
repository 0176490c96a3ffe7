"""minutes: recordings in, minutes out."""

__version__ = "0.1.0"
