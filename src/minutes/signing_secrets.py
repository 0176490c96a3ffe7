"""The secrets minutes signs with: one for webhooks, another for audio links.

They are kept apart because a webhook receiver must know the webhook secret to verify,
and must not be able to mint links to meetings' audio with it. Each is the configured
value, or a secret made once in the data dir (set both when processes run on several
machines, so every machine signs alike).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from pydantic import SecretStr

from minutes.config import Settings


def webhook_secret(settings: Settings) -> str:
    return _configured_or_made(settings.webhook_secret, settings.data_dir / "webhook-secret")


def link_secret(settings: Settings) -> str:
    return _configured_or_made(settings.link_secret, settings.data_dir / "link-secret")


def _configured_or_made(configured: SecretStr | None, path: Path) -> str:
    if configured is not None:
        return configured.get_secret_value()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:  # exclusive create: of two processes starting together, one secret wins
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
                out.write(secrets.token_urlsafe(32))
        except FileExistsError:
            pass
    return path.read_text().strip()
