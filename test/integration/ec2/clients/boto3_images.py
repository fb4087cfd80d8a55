"""boto3 registers a bundle already in nova-objectstore, describes and deregisters it: JSON lines.

Usage: boto3_images.py ENDPOINT ACCESS SECRET IMAGE_LOCATION
"""
import json
import sys
import time

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

endpoint, access, secret, location = sys.argv[1:5]
ec2 = boto3.client("ec2", endpoint_url=endpoint, region_name="nova", aws_access_key_id=access,
                   aws_secret_access_key=secret, config=Config(retries={"max_attempts": 1}))


def out(step, **kw):
    print(json.dumps({"step": step, **kw}, default=str), flush=True)


ami = ec2.register_image(ImageLocation=location, Name="boto3-bundle")["ImageId"]
out("register", image_id=ami)
for _ in range(300):
    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    if image["State"] != "pending":
        break
    time.sleep(0.2)
out("described", state=image["State"], name=image["Name"], location=image["ImageLocation"],
    mine=[i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]])
ec2.deregister_image(ImageId=ami)
try:
    ec2.describe_images(ImageIds=[ami])
    out("after_deregister", error=None)
except ClientError as e:
    out("after_deregister", error=e.response["Error"]["Code"])
