"""botocore's instance metadata fetchers against the endpoint in AWS_EC2_METADATA_SERVICE_ENDPOINT
(read through a botocore Session, as the AWS CLI and boto3 do); prints what they got as JSON."""
import json

import botocore.session
from botocore.utils import IMDSRegionProvider, InstanceMetadataFetcher, InstanceMetadataRegionFetcher


def main():
    session = botocore.session.get_session()
    endpoint = session.get_config_variable("ec2_metadata_service_endpoint")
    config = {"ec2_metadata_service_endpoint": endpoint}
    fetcher = InstanceMetadataRegionFetcher(timeout=5, num_attempts=2, config=config)
    token = fetcher._fetch_metadata_token()
    instance_id = fetcher._get_request("latest/meta-data/instance-id", None, token).text
    credentials = InstanceMetadataFetcher(timeout=5, num_attempts=1, config=config).retrieve_iam_role_credentials()
    print(json.dumps({
        "endpoint": endpoint,
        "token_obtained": token is not None,
        "instance_id": instance_id,
        "region": IMDSRegionProvider(session).provide(),
        "credentials": credentials,
    }))


if __name__ == "__main__":
    main()
