import json

import pytest
from botocore.exceptions import ClientError

pytestmark = pytest.mark.integration


def policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


TLS_ONLY = {
    "Sid": "DenyInsecureTransport",
    "Effect": "Deny",
    "Principal": "*",
    "Action": "s3:*",
    "Resource": ["arn:aws:s3:::tls-only", "arn:aws:s3:::tls-only/*"],
    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
}


def test_tls_only_policy_leaves_object_calls_working(aws_client) -> None:
    s3 = aws_client("s3")
    s3.create_bucket(Bucket="tls-only")
    s3.put_bucket_policy(Bucket="tls-only", Policy=policy(TLS_ONLY))
    s3.put_object(Bucket="tls-only", Key="state", Body=b"{}")
    assert s3.get_object(Bucket="tls-only", Key="state")["Body"].read() == b"{}"
    assert s3.head_object(Bucket="tls-only", Key="state")["ContentLength"] == 2


def test_unconditional_deny_still_denies(aws_client) -> None:
    s3 = aws_client("s3")
    s3.create_bucket(Bucket="deny-reads")
    s3.put_object(Bucket="deny-reads", Key="secret", Body=b"x")
    deny = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::deny-reads/*",
    }
    s3.put_bucket_policy(Bucket="deny-reads", Policy=policy(deny, TLS_ONLY))
    with pytest.raises(ClientError) as denied:
        s3.get_object(Bucket="deny-reads", Key="secret")
    assert denied.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
