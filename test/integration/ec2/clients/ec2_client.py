"""What the boto3 scripts share: the EC2 client from the command line, JSON-line output, error codes."""
import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client_from_argv(**config):
    """ENDPOINT ACCESS SECRET ARG from sys.argv: (the boto3 EC2 client, ARG)."""
    endpoint, access, secret, arg = sys.argv[1:5]
    ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="nova", aws_access_key_id=access,
                       aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}, **config))
    return ec2, arg


def out(step, **kw):
    print(json.dumps({"step": step, **kw}, default=str), flush=True)


def error_code(fn):
    try:
        fn()
    except ClientError as e:
        return e.response["Error"]["Code"]
    return None
