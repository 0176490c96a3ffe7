"""Short-lived signed links to a meeting's audio, for players that cannot send headers.

An `<audio>` element fetches its source (and every range) without an Authorization
header, so the page asks for a link signed with the link secret, valid for
LINK_SECONDS, that names one meeting.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from uuid import UUID

from minutes.config import Settings
from minutes.signing_secrets import link_secret

LINK_SECONDS = 3600


def _mac(settings: Settings, meeting_id: UUID, expires: int) -> str:
    message = f"audio:{meeting_id}:{expires}".encode()
    return hmac.new(link_secret(settings).encode(), message, hashlib.sha256).hexdigest()


def audio_token(settings: Settings, meeting_id: UUID, now: float | None = None) -> str:
    expires = int((now if now is not None else time.time()) + LINK_SECONDS)
    return f"{expires}.{_mac(settings, meeting_id, expires)}"


def valid_token(settings: Settings, meeting_id: UUID, token: str) -> bool:
    expires, _, mac = token.partition(".")
    if not expires.isdigit() or int(expires) < time.time():
        return False
    return hmac.compare_digest(mac, _mac(settings, meeting_id, int(expires)))
