import { opt } from '../opt';

export const keystone_authtoken = {
  www_authenticate_uri: opt.str('', 'Public Identity endpoint shown to clients in WWW-Authenticate.'),
  auth_url: opt.str('', 'Identity endpoint used to validate tokens. Empty: the built-in identity service.'),
  auth_type: opt.str('password', 'Authentication plugin for the service user.'),
  username: opt.str('nova', 'Service user name.'),
  password: opt.str('', 'Service user password.', { secret: true }),
  project_name: opt.str('service', 'Service user project.'),
  user_domain_name: opt.str('Default', 'Service user domain.'),
  project_domain_name: opt.str('Default', 'Service project domain.'),
  region_name: opt.str('RegionOne', 'Region of the catalog entries.'),
  token_cache_time: opt.int(300, 'Seconds a validated token is cached.', { min: 0 }),
  memcached_servers: opt.list([], 'Kept for compatibility: the cache is in process.'),
};

/** The built-in Identity (Keystone v3 subset) used in the embedded mode. */
export const identity = {
  enabled: opt.bool(true, 'Serve the built-in Identity service in this process when [keystone_authtoken] auth_url is empty.'),
  listen: opt.str('0.0.0.0', 'Address the built-in Identity service listens on.'),
  port: opt.int(5000, 'Port of the built-in Identity service (0 picks a free port).', { min: 0, max: 65535 }),
  admin_user: opt.str('admin', 'Admin user made at bootstrap.'),
  admin_password: opt.str('', 'Admin password made at bootstrap (empty: generated once and kept in state_path).', { secret: true }),
  admin_project: opt.str('admin', 'Admin project made at bootstrap.'),
  region_id: opt.str('RegionOne', 'Region of the catalog made at bootstrap.'),
  token_expiration: opt.int(3600, 'Seconds a token is valid.', { min: 1 }),
  password_hash_rounds: opt.int(16, 'scrypt cost of new password hashes, as log2(N) (16: 64 MiB and ~0.1 s each); stored hashes keep theirs.', { min: 10, max: 18 }),
};

export const glance = {
  api_servers: opt.list([], 'Image service endpoints. Empty: the one in the catalog (the built-in one in the embedded mode).'),
  num_retries: opt.int(3, 'Retries of a failed image service call.', { min: 0 }),
  verify_glance_signatures: opt.bool(false, 'Verify image signatures.'),
};

/** The built-in Image service (Glance v2 subset) used in the embedded mode. */
export const image_service = {
  enabled: opt.bool(true, 'Serve the built-in Image service when [glance] api_servers is empty.'),
  listen: opt.str('0.0.0.0', 'Address the built-in Image service listens on.'),
  port: opt.int(9292, 'Port of the built-in Image service (0 picks a free port).', { min: 0, max: 65535 }),
  filesystem_store_datadir: opt.str('$state_path/images', 'Where image data is kept.'),
  image_size_cap: opt.int(1099511627776, 'Largest image accepted, in bytes.', { min: 0 }),
};
