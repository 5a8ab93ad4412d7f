"""S3 implementation of the ``ObjectSource`` port: download one object (version) by key."""

from __future__ import annotations

from typing import Any

from xin.adapters.aws_client import LazyAwsClient
from xin.errors import NotFound, StoreUnavailable

_GONE = frozenset({"NoSuchKey", "NoSuchVersion", "NoSuchBucket", "404", "NotFound"})


class S3ObjectSource:
    """The boto3 client comes through the constructor, or is built on first use."""

    def __init__(
        self, *, client: Any = None, region: str | None = None, endpoint_url: str | None = None
    ) -> None:
        self._aws = LazyAwsClient("s3", client=client, region=region, endpoint_url=endpoint_url)

    @property
    def client(self) -> Any:
        return self._aws.get()

    def get(self, bucket: str, key: str, version_id: str | None = None) -> bytes:
        from botocore.exceptions import BotoCoreError, ClientError

        request = {"Bucket": bucket, "Key": key}
        if version_id:
            request["VersionId"] = version_id
        try:
            response = self.client.get_object(**request)
            data: bytes = response["Body"].read()
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _GONE:
                raise NotFound(f"s3://{bucket}/{key} does not exist") from exc
            raise StoreUnavailable(f"cannot read s3://{bucket}/{key} ({code})") from exc
        except BotoCoreError as exc:
            raise StoreUnavailable(
                f"cannot read s3://{bucket}/{key} ({type(exc).__name__})"
            ) from exc
        return data
