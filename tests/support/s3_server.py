"""A real S3-compatible server on loopback (moto in server mode) for tests and the bench.

    with s3_server() as s3:
        s3.create_bucket("logs")
        s3.upload_folder(tmp_path / "inference", "logs", "prod/inference")
        monkeypatch.setattr(os, "environ", {**os.environ, **s3.env})  # or monkeypatch.setenv

The server checks signatures like AWS does: requests need the access key it issued
(`s3.access_key_id`, `s3.secret_access_key`, also in `s3.env`); a wrong secret is refused
with SignatureDoesNotMatch. Worker processes (a local Ray cluster) reach it through
`endpoint_url` on 127.0.0.1 while the test process keeps it running.
"""

from __future__ import annotations

import json
import logging
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

REGION = "us-east-1"
# Any key works while authentication is off; these only create the IAM user and its key.
_SETUP_ENV = {"AWS_ACCESS_KEY_ID": "setup", "AWS_SECRET_ACCESS_KEY": "setup"}
_ADMIN_POLICY = json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
)


@dataclass
class S3Server:
    """A running moto server: where it listens and the credentials it accepts."""

    endpoint_url: str
    access_key_id: str
    secret_access_key: str
    region: str = REGION
    _clients: dict = field(default_factory=dict, repr=False)

    @property
    def env(self) -> dict[str, str]:
        """The standard AWS variables that point boto3, s3fs, MLflow and the portal here."""
        return {
            "AWS_ACCESS_KEY_ID": self.access_key_id,
            "AWS_SECRET_ACCESS_KEY": self.secret_access_key,
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "AWS_ENDPOINT_URL": self.endpoint_url,
        }

    def client(self):
        """A boto3 S3 client with the server's credentials."""
        if "s3" not in self._clients:
            import boto3

            self._clients["s3"] = boto3.client(
                "s3",
                endpoint_url=self.endpoint_url,
                region_name=self.region,
                aws_access_key_id=self.access_key_id,
                aws_secret_access_key=self.secret_access_key,
            )
        return self._clients["s3"]

    def create_bucket(self, name: str) -> None:
        self.client().create_bucket(Bucket=name)

    def upload_folder(self, local_folder: Path, bucket: str, prefix: str) -> list[str]:
        """Upload every file below `local_folder` to `<prefix>/<relative path>`; the keys."""
        keys = []
        for path in sorted(p for p in Path(local_folder).rglob("*") if p.is_file()):
            key = "/".join(
                part
                for part in (prefix.strip("/"), path.relative_to(local_folder).as_posix())
                if part
            )
            self.client().upload_file(str(path), bucket, key)
            keys.append(key)
        return keys

    def put_object(self, bucket: str, key: str, body: bytes) -> None:
        self.client().put_object(Bucket=bucket, Key=key, Body=body)

    def keys(self, bucket: str, prefix: str = "") -> list[str]:
        pages = (
            self.client().get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        )
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))


@contextmanager
def s3_server() -> Iterator[S3Server]:
    """Start moto on a free loopback port with signature checks on; stop and forget it after."""
    import boto3
    from moto.server import ThreadedMotoServer

    # The request log of the server's HTTP layer would flood the test output.
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    try:
        _post(endpoint, "/moto-api/reset", b"")
        iam = boto3.client(
            "iam",
            endpoint_url=endpoint,
            region_name=REGION,
            aws_access_key_id=_SETUP_ENV["AWS_ACCESS_KEY_ID"],
            aws_secret_access_key=_SETUP_ENV["AWS_SECRET_ACCESS_KEY"],
        )
        iam.create_user(UserName="portal")
        iam.put_user_policy(UserName="portal", PolicyName="all", PolicyDocument=_ADMIN_POLICY)
        key = iam.create_access_key(UserName="portal")["AccessKey"]
        # From here on every request must be signed with the issued key.
        _post(endpoint, "/moto-api/reset-auth", b"0")
        yield S3Server(endpoint, key["AccessKeyId"], key["SecretAccessKey"])
    finally:
        try:
            _post(endpoint, "/moto-api/reset-auth", b"inf")
            _post(endpoint, "/moto-api/reset", b"")
        finally:
            server.stop()


def _post(endpoint: str, path: str, body: bytes) -> None:
    # A form content type (urllib's default) would leave moto an empty body.
    headers = {"Content-Type": "text/plain"}
    request = urllib.request.Request(endpoint + path, data=body, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        response.read()
