"""Inference logs in S3-compatible object storage: where they are, how to reach them, plain errors.

The connection comes from the standard AWS settings of the process (AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_PROFILE, AWS_REGION, AWS_ENDPOINT_URL), read by
the AWS SDK itself: the portal never holds a secret, so none can reach a page, a log or the store.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow.dataset as pa_dataset
    import pyarrow.fs as pa_fs

SCHEME = "s3://"
CONNECT_TIMEOUT_SECONDS = 10.0
REQUEST_TIMEOUT_SECONDS = 60.0
MAX_ATTEMPTS = 3  # the first request and two retries, with the AWS SDK's backoff
_DOWNLOAD_THREADS = 8  # parallel requests for footers and CSV copies

# Bucket names as S3 and MinIO accept them; anything else is a typing error in the setting.
_BUCKET = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
# What an SDK or server message may carry that opens the account: signed URL parts and key ids.
_SIGNED_PART = re.compile(
    r"(X-Amz-[A-Za-z-]+|Signature|Credential|AWSAccessKeyId|Authorization)([=:]\s*)[^&\s,;'\"]+",
    re.IGNORECASE,
)
_URL_QUERY = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s?'\"]*)\?[^\s'\"]*", re.IGNORECASE)
_KEY_ID = re.compile(r"\b(AKIA|ASIA|AROA|AIDA)[A-Z0-9]{12,}\b")
_SECRET_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")
# What the AWS SDK's error codes mean for the person who set the portal up.
_HINTS = (
    (
        ("SIGNATURE_DOES_NOT_MATCH", "INVALID_ACCESS_KEY_ID", "InvalidAccessKeyId"),
        "access refused, check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
    ),
    (("ACCESS_DENIED", "AccessDenied", "Forbidden"), "access refused, check the key's permissions"),
    # curl reports a timeout as a connection error: the timeout is looked for first.
    (("REQUEST_TIMEOUT", "timed out", "Timeout"), "the storage endpoint did not answer in time"),
    (("NETWORK_CONNECTION", "curlCode"), "the storage endpoint could not be reached"),
)


class ObjectStorageError(Exception):
    """The object store could not be read; str(exc) names the bucket and prefix and the problem."""


@dataclass(frozen=True)
class S3Location:
    """A bucket and a key prefix (no leading or trailing slash; empty for the whole bucket)."""

    bucket: str
    prefix: str = ""

    @property
    def url(self) -> str:
        return f"{SCHEME}{self.bucket}/{self.prefix}" if self.prefix else f"{SCHEME}{self.bucket}"

    @property
    def path(self) -> str:
        """The location as the filesystem layer names it: `bucket/prefix`."""
        return f"{self.bucket}/{self.prefix}" if self.prefix else self.bucket

    def child(self, name: str) -> S3Location:
        return S3Location(self.bucket, f"{self.prefix}/{name}" if self.prefix else name)


def is_s3_url(location: object) -> bool:
    """True for an `s3://...` text; paths and other values are folders."""
    return isinstance(location, str) and location[:5].casefold() == SCHEME


def parse_s3_url(text: str) -> S3Location:
    """`s3://bucket/prefix` as a location; ValueError saying what is wrong, never echoing it."""
    if not is_s3_url(text):
        raise ValueError("must start with s3://")
    bucket, _, prefix = text[len(SCHEME) :].partition("/")
    if "@" in bucket or ":" in bucket:
        raise ValueError(
            "must not carry credentials or a port; set AWS_ACCESS_KEY_ID, "
            "AWS_SECRET_ACCESS_KEY and AWS_ENDPOINT_URL instead"
        )
    if not _BUCKET.fullmatch(bucket):
        raise ValueError("needs a bucket name: 3 to 63 lower-case letters, digits, '.' or '-'")
    if any(char in prefix for char in "?#\\\0"):
        raise ValueError("the prefix must not contain '?', '#', '\\' or NUL")
    parts = [part for part in prefix.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise ValueError("the prefix must not contain '.' or '..' parts")
    return S3Location(bucket, "/".join(parts))


def plain_message(text: str) -> str:
    """One line of an SDK, server or DuckDB message with signatures and key material removed."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    for name in _SECRET_ENV:
        value = os.environ.get(name, "")
        if len(value) >= 4:
            line = line.replace(value, "***")
    line = _URL_QUERY.sub(r"\1", line)
    line = _SIGNED_PART.sub(r"\1\2***", line)
    line = _KEY_ID.sub("***", line)
    return line[:300]


def filesystem() -> pa_fs.S3FileSystem:
    """A client for the configured S3 endpoint, with timeouts and bounded retries.

    Credentials are left to the AWS SDK's own chain (environment, profile, instance role), so
    the object holds none; the endpoint is read here because the SDK under pyarrow does not
    honour AWS_ENDPOINT_URL by itself.
    """
    from pyarrow import fs

    options: dict = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "request_timeout": REQUEST_TIMEOUT_SECONDS,
        "retry_strategy": fs.AwsStandardS3RetryStrategy(max_attempts=MAX_ATTEMPTS),
    }
    endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL")
    if endpoint:
        options["endpoint_override"] = endpoint
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    if region:
        options["region"] = region
    return fs.S3FileSystem(**options)


class S3Folder:
    """The objects under one location, read through one lazily built client."""

    def __init__(self, location: S3Location) -> None:
        self.location = location
        self._fs: pa_fs.S3FileSystem | None = None
        self._sizes: dict[str, int] = {}  # of the listed objects: no request asks for them again

    def __getstate__(self) -> dict:
        # A client is rebuilt where the object lands (a cluster worker has its own settings).
        return {"location": self.location, "_fs": None, "_sizes": {}}

    @property
    def fs(self) -> pa_fs.S3FileSystem:
        if self._fs is None:
            self._fs = filesystem()
        return self._fs

    def files(self, suffixes: tuple[str, ...]) -> list[str]:
        """Keys (as `bucket/key`) below the location ending in one of the suffixes, sorted.

        No objects under the prefix is an empty list; a bucket that does not exist is an error,
        since it means the setting, not the model, is wrong.
        """
        from pyarrow import fs

        base = self.location.path + "/"
        selector = fs.FileSelector(self.location.path, recursive=True, allow_not_found=True)
        infos = self._call("list the logs", self.fs.get_file_info, selector)
        self._sizes = {
            info.path: info.size
            for info in infos
            if info.type == fs.FileType.File
            and info.path.startswith(base)
            and info.path.endswith(suffixes)
        }
        found = sorted(self._sizes)
        if not found and not infos:
            bucket = self._call("look up the bucket", self.fs.get_file_info, self.location.bucket)
            if bucket.type == fs.FileType.NotFound:
                raise ObjectStorageError(
                    f"{self.location.url}: the bucket {self.location.bucket!r} does not exist"
                )
        return found

    def parquet_dataset(self, paths: list[str]) -> pa_dataset.Dataset:
        """The Parquet objects as one dataset, columns matched by name across files.

        Every footer is read once, in parallel, and kept with its fragment: later scans skip
        row groups by their statistics without asking for the footers again. Dictionary columns
        (pandas categories) are read as their values, the way DuckDB reads them from a folder.
        """
        import pyarrow as pa
        import pyarrow.dataset as ds

        def build() -> pa_dataset.Dataset:
            parquet = ds.ParquetFileFormat()
            fragments = [
                parquet.make_fragment(path, self.fs, file_size=self._sizes.get(path))
                for path in paths
            ]
            with ThreadPoolExecutor(max_workers=_DOWNLOAD_THREADS) as pool:
                list(pool.map(lambda fragment: fragment.ensure_complete_metadata(), fragments))
            schema = pa.unify_schemas(
                [fragment.physical_schema for fragment in fragments], promote_options="permissive"
            )
            plain = pa.schema(
                field.with_type(field.type.value_type)
                if pa.types.is_dictionary(field.type)
                else field
                for field in schema
            )
            return ds.FileSystemDataset(fragments, plain, parquet, self.fs)

        return self._call("read the Parquet logs", build)

    def download(self, paths: list[str], folder: Path, suffix: str) -> list[Path]:
        """Copy objects to numbered files in `folder` (key names never become local paths)."""
        targets = [folder / f"{index:06d}{suffix}" for index in range(len(paths))]

        def copy(pair: tuple[str, Path]) -> None:
            source, target = pair
            with self.fs.open_input_stream(source) as stream, target.open("wb") as out:
                while chunk := stream.read(8 * 2**20):
                    out.write(chunk)

        with ThreadPoolExecutor(max_workers=_DOWNLOAD_THREADS) as pool:
            self._call(
                "download the CSV logs",
                lambda: list(pool.map(copy, zip(paths, targets, strict=True))),
            )
        return targets

    def _call(self, what: str, function, *args):
        try:
            return function(*args)
        # pyarrow reports S3 errors as OSError (and ArrowInvalid for unreadable files).
        except (OSError, ValueError) as exc:
            said = plain_message(str(exc))
            hint = next((h for codes, h in _HINTS if any(code in said for code in codes)), "")
            raise ObjectStorageError(
                f"{self.location.url}: could not {what}{': ' + hint if hint else ''} ({said})"
            ) from None
