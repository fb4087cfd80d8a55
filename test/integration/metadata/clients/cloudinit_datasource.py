"""Runs one of cloud-init's own datasource classes against a metadata URL and prints, as JSON, what
it parsed. Only the datasource crawl runs: nothing on this host is configured (no `cloud-init init`).

usage: cloudinit_datasource.py openstack|ec2 URL
"""
import base64
import json
import shutil
import logging
import sys
import tempfile

from cloudinit import distros, helpers
from cloudinit.sources import DataSourceEc2, DataSourceOpenStack
from cloudinit.sources.helpers import openstack as openstack_helper


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append("%s: %s" % (record.name, record.getMessage()))


def main():
    kind, url = sys.argv[1], sys.argv[2]
    warnings = Collect()
    logging.getLogger().addHandler(warnings)
    tmp = tempfile.mkdtemp(prefix="metadata-cloudinit-")
    paths = helpers.Paths({"cloud_dir": tmp, "run_dir": tmp, "templates_dir": tmp})
    distro = distros.fetch("debian")("debian", {}, paths)
    name = "OpenStack" if kind == "openstack" else "Ec2"
    ds_cfg = {"metadata_urls": [url], "max_wait": 20, "timeout": 5, "retries": 2}
    sys_cfg = {"datasource_list": [name], "datasource": {name: ds_cfg}}
    if kind == "openstack":
        # This host's DMI does not say "OpenStack Nova"; a guest's would.
        DataSourceOpenStack.detect_openstack = lambda accept_oracle=False: True
        ds = DataSourceOpenStack.DataSourceOpenStack(sys_cfg, distro, paths)
    else:
        ds = DataSourceEc2.DataSourceEc2(sys_cfg, distro, paths)
    found = ds.get_data()
    out = {"found": bool(found), "warnings": warnings.messages}
    if found:
        userdata = ds.get_userdata_raw()
        out.update({
            "instance_id": ds.get_instance_id(),
            "public_ssh_keys": ds.get_public_ssh_keys(),
            "userdata_b64": base64.b64encode(userdata if isinstance(userdata, bytes) else (userdata or "").encode()).decode(),
            "vendordata_raw": ds.vendordata_raw if not isinstance(ds.vendordata_raw, bytes) else ds.vendordata_raw.decode(),
            "availability_zone": ds.availability_zone,
            "hostname": ds.get_hostname().hostname,
            "metadata_keys": sorted(ds.metadata.keys()),
            "metadata_address": ds.metadata_address,
        })
        if kind == "openstack":
            # The guest's NICs are not here: name them for cloud-init as a guest's /sys would.
            macs = {link["ethernet_mac_address"]: "eth%d" % i for i, link in enumerate(ds.network_json.get("links", []))}
            out["network_config"] = openstack_helper.convert_net_json(ds.network_json, known_macs=macs)
            out["ec2_instance_id"] = (ds.ec2_metadata or {}).get("instance-id")
            out["vendordata2_raw"] = ds.vendordata2_raw if not isinstance(ds.vendordata2_raw, bytes) else ds.vendordata2_raw.decode()
            out["version"] = ds.version
        else:
            out["local_ipv4"] = ds.metadata.get("local-ipv4")
            out["instance_type"] = ds.metadata.get("instance-type")
    shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
