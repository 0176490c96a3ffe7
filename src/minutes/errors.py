"""The two kinds of failure a stage can meet, so the queue knows whether to try again."""


class BadInput(Exception):
    """The recording or request itself is wrong; retrying cannot help."""


class TransientError(Exception):
    """Storage, network or database trouble that may pass; the stage is retried with backoff."""
