"""http(s) URLs, streamed into the cache with the size cap enforced while downloading."""

from __future__ import annotations

import hashlib
import ipaddress
import os
import socket
import tempfile
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from minutes.config import Settings
from minutes.errors import TransientError
from minutes.sources import FetchedSource, SourceError

_CHUNK_BYTES = 1 << 16


def download(url: str, settings: Settings) -> FetchedSource:
    limit = settings.max_file_bytes
    settings.cache_dir.mkdir(parents=True, exist_ok=True)
    suffix = PurePosixPath(urlsplit(url).path).suffix[:10]
    digest = hashlib.sha256()
    size = 0
    handle, partial_name = tempfile.mkstemp(dir=settings.cache_dir, suffix=".part")
    partial = Path(partial_name)
    try:
        with (
            os.fdopen(handle, "wb") as out,
            httpx.Client(
                timeout=settings.http_timeout_seconds,
                follow_redirects=True,
                event_hooks={"request": [] if settings.allow_private_urls else [_public_only]},
            ) as client,
            client.stream("GET", url) as response,
        ):
            _check_status(response)
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > limit:
                raise _too_large(int(declared), limit)
            for chunk in response.iter_bytes(_CHUNK_BYTES):
                size += len(chunk)
                if size > limit:
                    raise _too_large(size, limit)
                digest.update(chunk)
                out.write(chunk)
    except httpx.TransportError as error:
        partial.unlink(missing_ok=True)
        raise TransientError(f"downloading {url} failed: {error!r}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if size == 0:
        partial.unlink(missing_ok=True)
        raise SourceError(f"{url} returned an empty body")
    final = settings.cache_dir / f"{digest.hexdigest()}{suffix}"
    partial.replace(final)
    return FetchedSource(path=final, sha256=digest.hexdigest(), size=size, downloaded=True)


def _public_only(request: httpx.Request) -> None:
    """Refuse (on every redirect hop too) hosts that resolve to internal addresses."""
    host = request.url.host
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, request.url.port or 443)}
    except socket.gaierror as error:
        raise TransientError(f"cannot resolve {host}: {error}") from error
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if not ip.is_global or ip.is_multicast:
            raise SourceError(
                f"refusing to fetch {request.url.host}: it resolves to the non-public address "
                f"{ip} (set MINUTES_ALLOW_PRIVATE_URLS=true to allow internal sources)"
            )


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status == 429 or status >= 500:
        raise TransientError(f"HTTP {status} from {response.url}")
    if status >= 400:
        raise SourceError(f"HTTP {status} from {response.url}")


def _too_large(size: int, limit: int) -> SourceError:
    return SourceError(
        f"download is over the limit of {limit} bytes (MINUTES_MAX_FILE_BYTES); got {size}+"
    )
