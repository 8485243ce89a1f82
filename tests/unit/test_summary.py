from blueprint.summary import summarise


def change(address: str, kind: str, actions: list[str], mode: str = "managed") -> dict:
    return {"address": address, "type": kind, "mode": mode, "change": {"actions": actions}}


def test_counts_follow_terraforms_rules() -> None:
    plan = {
        "resource_changes": [
            change("aws_s3_bucket.new", "aws_s3_bucket", ["create"]),
            change("aws_iam_role.r", "aws_iam_role", ["update"]),
            change("aws_db_instance.db", "aws_db_instance", ["delete", "create"]),
            change("aws_kinesis_stream.s", "aws_kinesis_stream", ["delete"]),
            change("aws_iam_policy.p", "aws_iam_policy", ["create", "delete"]),
            change("aws_sqs_queue.q", "aws_sqs_queue", ["no-op"]),
            change("data.aws_caller_identity.me", "aws_caller_identity", ["read"], mode="data"),
        ]
    }
    summary = summarise(plan)
    assert (summary.to_add, summary.to_change, summary.to_destroy) == (3, 1, 3)
    assert summary.replaced == ("aws_db_instance.db", "aws_iam_policy.p")
    assert summary.destroyed == ("aws_kinesis_stream.s",)
    assert summary.stateful_at_risk == ("aws_db_instance.db", "aws_kinesis_stream.s")
    assert summary.has_changes


def test_empty_plan_has_no_changes() -> None:
    summary = summarise({"resource_changes": [change("a.b", "aws_s3_bucket", ["no-op"])]})
    assert not summary.has_changes
    assert summary.counts() == "0 to add, 0 to change, 0 to destroy"


def test_summary_never_carries_attribute_values() -> None:
    secret = "hunter2-very-secret"
    plan = {
        "resource_changes": [
            {
                **change("aws_db_instance.db", "aws_db_instance", ["create"]),
                "change": {"actions": ["create"], "after": {"password": secret}},
            }
        ]
    }
    assert secret not in str(summarise(plan).as_dict())
