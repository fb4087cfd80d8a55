"""boto3 against the EC2 API's security groups and addresses (nova-network): JSON lines for the test.

Usage: boto3_network.py ENDPOINT ACCESS SECRET AMI_ID
Each line is {"step": name, ...}; EC2 errors are caught and printed as {"step": name, "error": code}.
"""
import time


from ec2_client import client_from_argv, error_code, out

ec2, ami = client_from_argv()


def wait(iid, name):
    for _ in range(300):
        s = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
        if s["State"]["Name"] == name:
            return s
        time.sleep(0.2)
    raise SystemExit(f"{iid} never became {name}")


def addresses(**kw):
    keys = ("PublicIp", "Domain", "InstanceId")
    return [{k: a[k] for k in keys if k in a} for a in ec2.describe_addresses(**kw)["Addresses"]]


def permissions():
    g = ec2.describe_security_groups(Filters=[{"Name": "group-name", "Values": ["boto-db"]}])["SecurityGroups"][0]
    return [{"IpProtocol": p["IpProtocol"], "FromPort": p["FromPort"], "ToPort": p["ToPort"], "IpRanges": p["IpRanges"],
             "UserIdGroupPairs": [{"GroupId": u["GroupId"], "GroupName": u["GroupName"]} for u in p["UserIdGroupPairs"]]}
            for p in g["IpPermissions"]]


gid = ec2.create_security_group(GroupName="boto-db", Description="databases")["GroupId"]
out("create_group", group_id=gid)
out("duplicate_group", error=error_code(lambda: ec2.create_security_group(GroupName="boto-db", Description="again")))
# The flat (legacy) form and the IpPermissions form with a source group named by name.
ec2.authorize_security_group_ingress(GroupName="boto-db", IpProtocol="tcp", FromPort=5432, ToPort=5432, CidrIp="10.77.0.0/24")
ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[
    {"IpProtocol": "udp", "FromPort": 53, "ToPort": 53, "UserIdGroupPairs": [{"GroupName": "boto-db"}]}])
out("described_group", permissions=permissions())

ran = ec2.run_instances(ImageId=ami, InstanceType="m1.tiny", MinCount=1, MaxCount=1, SecurityGroupIds=[gid])
iid = ran["Instances"][0]["InstanceId"]
out("run", id=iid, groups=ran["Instances"][0]["SecurityGroups"])
wait(iid, "running")

ip = ec2.allocate_address(Domain="standard")["PublicIp"]
out("allocate", public_ip=ip)
ec2.associate_address(InstanceId=iid, PublicIp=ip)
out("associated", addresses=addresses(PublicIps=[ip]))
out("public_ip", ip=ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0].get("PublicIpAddress"))
ec2.disassociate_address(PublicIp=ip)
out("disassociated", addresses=addresses())
ec2.release_address(PublicIp=ip)
out("released", addresses=addresses())

ec2.revoke_security_group_ingress(GroupName="boto-db", IpProtocol="tcp", FromPort=5432, ToPort=5432, CidrIp="10.77.0.0/24")
out("revoked", permissions=[[p["IpProtocol"], p["FromPort"], p["ToPort"]] for p in permissions()])

ec2.terminate_instances(InstanceIds=[iid])
wait(iid, "terminated")
ec2.delete_security_group(GroupId=gid)
out("deleted_groups", names=[g["GroupName"] for g in ec2.describe_security_groups()["SecurityGroups"]])
