"""Storage in an S3-compatible bucket: AWS S3, MinIO, Supabase Storage's S3 endpoint.

Streams are spooled to a local temporary file first (size-capped as they arrive), then
uploaded with boto3's managed transfer, which switches to multipart for large files.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from minutes.config import Settings
from minutes.errors import TransientError
from minutes.storage import StorageError, TooLarge, check_key

_PIECE = 1 << 16


def _transient(error: Exception) -> bool:
    if isinstance(error, ClientError):
        status = error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return bool(status == 429 or status >= 500)
    return True  # connection and timeout errors


class S3Storage:
    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self._client = client
        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.url = f"s3://{bucket}/{self.prefix}".rstrip("/")

    @classmethod
    def from_settings(cls, url: str, settings: Settings) -> S3Storage:
        bucket, _, prefix = url.removeprefix("s3://").partition("/")
        secret = settings.s3_secret_access_key
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            region_name=settings.s3_region,
            aws_access_key_id=settings.s3_access_key_id,
            aws_secret_access_key=secret.get_secret_value() if secret else None,
            config=Config(
                retries={"max_attempts": 2, "mode": "standard"},
                connect_timeout=settings.http_timeout_seconds,
                read_timeout=settings.http_timeout_seconds,
                s3={"addressing_style": "path"},
            ),
        )
        return cls(client, bucket, prefix)

    def _key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _call(self, what: str, key: str, action: Any) -> Any:
        try:
            return action()
        except (ClientError, BotoCoreError) as error:
            if _transient(error):
                raise TransientError(f"storage {what} {key} failed: {error}") from error
            raise StorageError(f"storage {what} {key} failed: {error}") from error

    def put_stream(self, key: str, chunks: Iterable[bytes], limit: int) -> int:
        with tempfile.NamedTemporaryFile(suffix=".upload") as spool:
            size = 0
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise TooLarge(f"upload is over the limit of {limit} bytes")
                spool.write(chunk)
            spool.flush()
            self.put_file(key, Path(spool.name))
        return size

    def put_file(self, key: str, path: Path) -> None:
        name = self._key(key)
        self._call("upload", key, lambda: self._client.upload_file(str(path), self.bucket, name))

    def download(self, key: str, target: Path) -> None:
        name = self._key(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, partial = tempfile.mkstemp(dir=target.parent, suffix=".part")
        os.close(handle)
        try:
            self._call(
                "download", key, lambda: self._client.download_file(self.bucket, name, partial)
            )
            os.replace(partial, target)
        except StorageError:
            if self.size(key) is None:
                raise StorageError(f"nothing stored at {key}") from None
            raise
        finally:
            Path(partial).unlink(missing_ok=True)

    def size(self, key: str) -> int | None:
        name = self._key(key)
        try:
            head = self._client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
                return None
            raise TransientError(f"storage stat {key} failed: {error}") from error
        except BotoCoreError as error:
            raise TransientError(f"storage stat {key} failed: {error}") from error
        return int(head["ContentLength"])

    def read_range(self, key: str, start: int, end: int) -> Iterator[bytes]:
        name = self._key(key)
        response = self._call(
            "read",
            key,
            lambda: self._client.get_object(
                Bucket=self.bucket, Key=name, Range=f"bytes={start}-{end}"
            ),
        )
        body = response["Body"]
        try:
            yield from iter(lambda: body.read(_PIECE), b"")
        finally:
            body.close()

    def delete_prefix(self, prefix: str) -> int:
        folder = self._key(prefix.rstrip("/")) + "/"
        count = 0
        paginator = self._client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=folder):
            keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
            if keys:
                self._client.delete_objects(Bucket=self.bucket, Delete={"Objects": keys})
                count += len(keys)
        return count

    def check(self) -> None:
        self._call("check", self.bucket, lambda: self._client.head_bucket(Bucket=self.bucket))
