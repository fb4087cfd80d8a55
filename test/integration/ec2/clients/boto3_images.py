"""boto3 registers a bundle already in nova-objectstore, describes and deregisters it: JSON lines.

Usage: boto3_images.py ENDPOINT ACCESS SECRET IMAGE_LOCATION
"""
import time

from botocore.exceptions import ClientError

from ec2_client import client_from_argv, out

ec2, location = client_from_argv()


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
