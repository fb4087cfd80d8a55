import { opt } from '../opt';

export const api = {
  auth_strategy: opt.str('keystone', 'keystone: tokens from Identity; noauth2: trust X-Auth-User/X-Auth-Project-Id (tests only).', { choices: ['keystone', 'noauth2'] }),
  max_limit: opt.int(1000, 'Largest number of items a list answer returns at once.', { min: 1 }),
  compute_link_prefix: opt.str('', 'Base URL put in links instead of the request URL.'),
  glance_link_prefix: opt.str('', 'Base URL for image links instead of the request URL.'),
  list_records_by_skipping_down_cells: opt.bool(true, 'Kept for compatibility: there are no cells here.'),
  instance_list_per_project_cells: opt.bool(false, 'Kept for compatibility: there are no cells here.'),
  local_metadata_per_cell: opt.bool(false, 'Kept for compatibility.'),
  dhcp_domain: opt.str('novalocal', 'Domain appended to instance hostnames in metadata.'),
  vendordata_providers: opt.list(['StaticJSON'], 'Vendor data providers: StaticJSON, DynamicJSON.'),
  vendordata_jsonfile_path: opt.str('', 'File with static vendor data.'),
  vendordata_dynamic_targets: opt.list([], 'name@URL of dynamic vendor data services.'),
  vendordata_dynamic_ssl_certfile: opt.str('', 'CA bundle that verifies https:// dynamic vendor data services (empty: the system CAs).'),
  vendordata_dynamic_connect_timeout: opt.int(5, 'Seconds to wait for a dynamic vendor data service to accept the connection.', { min: 3 }),
  vendordata_dynamic_read_timeout: opt.int(5, 'Seconds to wait for a dynamic vendor data service to answer once connected.', { min: 0 }),
  vendordata_dynamic_failure_fatal: opt.bool(false, 'A failed dynamic vendor data service fails the vendor_data2.json request (500) instead of giving {} for it.'),
  metadata_cache_expiration: opt.int(15, 'Seconds metadata answers are cached (0 disables).', { min: 0 }),
  use_forwarded_for: opt.bool(false, 'Trust X-Forwarded-For for the client address.'),
};

export const oslo_policy = {
  policy_file: opt.str('policy.yaml', 'Policy overrides (YAML or JSON), looked up in the config directories and state_path.'),
  enforce_scope: opt.bool(true, 'Refuse tokens whose scope does not fit the rule.'),
  enforce_new_defaults: opt.bool(true, 'Use the new project reader/member defaults.'),
};

export const wsgi = {
  api_paste_config: opt.str('api-paste.ini', 'Kept for compatibility; the pipeline is built in.'),
  keep_alive: opt.bool(true, 'HTTP keep-alive.'),
  client_socket_timeout: opt.int(900, 'Seconds an idle client socket is kept.', { min: 0 }),
};
