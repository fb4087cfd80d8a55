"""boto3 against the EC2 API: one flow, printed as JSON lines the TypeScript test asserts on.

Usage: boto3_flow.py ENDPOINT ACCESS SECRET AMI_ID
Each line is {"step": name, ...}; EC2 errors are caught and printed as {"step": name, "error": code}.
"""
import sys
import time

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import urllib.request

from ec2_client import client_from_argv, error_code, out

ec2, ami = client_from_argv(parameter_validation=False)
endpoint, access, secret = sys.argv[1:4]


def state(iid):
    r = ec2.describe_instances(InstanceIds=[iid])
    return r["Reservations"][0]["Instances"][0]["State"]


def wait(iid, name):
    for _ in range(300):
        s = state(iid)
        if s["Name"] == name:
            return s
        time.sleep(0.2)
    raise SystemExit(f"{iid} never became {name}: {s}")


out("regions", names=[r["RegionName"] for r in ec2.describe_regions()["Regions"]])
out("images", ids=[i["ImageId"] for i in ec2.describe_images(Owners=["self"])["Images"]])
key = ec2.create_key_pair(KeyName="boto-key")
out("keypair", name=key["KeyName"], has_private=key["KeyMaterial"].startswith("-----BEGIN"))
ran = ec2.run_instances(ImageId=ami, InstanceType="m1.tiny", MinCount=2, MaxCount=2, KeyName="boto-key",
                        UserData="hello from boto3")
ids = [i["InstanceId"] for i in ran["Instances"]]
out("run", reservation=ran["ReservationId"], ids=ids, launch_indexes=[i["AmiLaunchIndex"] for i in ran["Instances"]])
for iid in ids:
    wait(iid, "running")
desc = ec2.describe_instances(Filters=[{"Name": "instance-state-name", "Values": ["running"]}])
out("describe", reservations=[[i["InstanceId"] for i in r["Instances"]] for r in desc["Reservations"]],
    state=[i["State"] for r in desc["Reservations"] for i in r["Instances"]])
ec2.create_tags(Resources=[ids[0]], Tags=[{"Key": "Name", "Value": "first"}])
out("tags", tags=ec2.describe_tags(Filters=[{"Name": "key", "Values": ["Name"]}])["Tags"])
ec2.reboot_instances(InstanceIds=[ids[0]])
out("rebooted", state=wait(ids[0], "running"))
ec2.stop_instances(InstanceIds=[ids[0]])
out("stopped", state=wait(ids[0], "stopped"))
ec2.start_instances(InstanceIds=[ids[0]])
out("started", state=wait(ids[0], "running"))
term = ec2.terminate_instances(InstanceIds=ids)
out("terminate", ids=[t["InstanceId"] for t in term["TerminatingInstances"]])
for iid in ids:
    wait(iid, "terminated")
out("terminated")
ec2.delete_key_pair(KeyName="boto-key")
out("keys_after_delete", names=[k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]])

# Errors: a missing parameter (client-side validation is off), an unknown instance, an unknown action.
out("missing_parameter", error=error_code(lambda: ec2.create_key_pair()))
out("unknown_instance", error=error_code(lambda: ec2.reboot_instances(InstanceIds=["i-7ffffff0"])))
body = "Action=FlyToTheMoon&Version=2016-11-15"
req = botocore.awsrequest.AWSRequest(method="POST", url=endpoint + "/", data=body,
                                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
botocore.auth.SigV4Auth(botocore.credentials.Credentials(access, secret), "ec2", "nova").add_auth(req)
prepared = req.prepare()
try:
    urllib.request.urlopen(urllib.request.Request(prepared.url, data=body.encode(), headers=dict(prepared.headers), method="POST"))
    out("unknown_action", status=200)
except urllib.error.HTTPError as e:
    out("unknown_action", status=e.code, body=e.read().decode())
