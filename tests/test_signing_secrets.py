"""Webhook and audio-link secrets are separate, stable, and made once per data dir."""

from __future__ import annotations

import hashlib
import hmac
import uuid
from pathlib import Path

from pydantic import SecretStr

from minutes.api.media_links import audio_token, valid_token
from minutes.config import Settings
from minutes.signing_secrets import link_secret, webhook_secret


def test_made_secrets_are_distinct_stable_and_private(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    first = (webhook_secret(settings), link_secret(settings))
    assert first[0] != first[1]
    assert (webhook_secret(settings), link_secret(settings)) == first
    assert (tmp_path / "link-secret").stat().st_mode & 0o777 == 0o600


def test_a_webhook_receiver_cannot_mint_audio_links(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, webhook_secret=SecretStr("shared-with-receivers"))
    meeting = uuid.uuid4()
    assert valid_token(settings, meeting, audio_token(settings, meeting))
    expires = int(audio_token(settings, meeting).split(".")[0])
    forged_mac = hmac.new(
        b"shared-with-receivers", f"audio:{meeting}:{expires}".encode(), hashlib.sha256
    ).hexdigest()
    assert not valid_token(settings, meeting, f"{expires}.{forged_mac}")
    assert not valid_token(settings, uuid.uuid4(), audio_token(settings, meeting))
