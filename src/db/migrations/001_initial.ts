import { DataTypes, QueryInterface } from 'sequelize';

// Frozen schema of version 1. Later changes go in new numbered files; never edit this one once landed.
const id = { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false };
const s = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const i = (defaultValue: number | null = 0) => ({ type: DataTypes.INTEGER, allowNull: defaultValue === null, defaultValue });
const b = (defaultValue = false) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });
const t = { type: DataTypes.TEXT, allowNull: true };
const d = { type: DataTypes.DATE, allowNull: true };
const stamps = { created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false } };

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('services', {
    id, uuid: s(36, false), host: s(255, false), binary: s(255, false), topic: s(), report_count: i(),
    disabled: b(), disabled_reason: s(), forced_down: b(), last_seen_up: d, version: i(1), ...stamps,
  });
  await q.addIndex('services', ['uuid'], { unique: true });
  await q.addIndex('services', ['host', 'binary'], { unique: true });

  await q.createTable('compute_nodes', {
    id, uuid: s(36, false), service_id: i(null), host: s(255, false), hypervisor_hostname: s(255, false),
    hypervisor_type: s(255, false), hypervisor_version: { type: DataTypes.BIGINT, allowNull: false, defaultValue: 0 },
    host_ip: s(64), vcpus: i(), vcpus_used: i(), memory_mb: i(), memory_mb_used: i(), local_gb: i(), local_gb_used: i(),
    free_ram_mb: i(), free_disk_gb: i(), disk_available_least: i(null), running_vms: i(), current_workload: i(),
    cpu_info: t, cpu_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 16 },
    ram_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1.5 },
    disk_allocation_ratio: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1 },
    reserved_host_memory_mb: i(), reserved_host_disk_mb: i(), reserved_host_cpus: i(),
    stats: t, supported_instances: t, ...stamps,
  });
  await q.addIndex('compute_nodes', ['uuid'], { unique: true });
  await q.addIndex('compute_nodes', ['host', 'hypervisor_hostname'], { unique: true });

  await q.createTable('instances', {
    id, uuid: s(36, false), display_name: s(255, false), display_description: t, hostname: s(),
    project_id: s(255, false), user_id: s(255, false), vm_state: s(255, false), task_state: s(), power_state: i(),
    host: s(), node: s(), launched_on: s(), flavor: t, instance_type_id: i(null), memory_mb: i(), vcpus: i(),
    root_gb: i(), ephemeral_gb: i(), image_ref: { ...s(255, false), defaultValue: '' }, kernel_id: s(), ramdisk_id: s(),
    key_name: s(), key_data: t, user_data: { type: DataTypes.TEXT, allowNull: true }, availability_zone: s(),
    reservation_id: s(255, false), launch_index: i(), config_drive: s(), access_ip_v4: s(64), access_ip_v6: s(64),
    locked: b(), locked_by: s(), progress: i(), root_device_name: s(), os_type: s(), architecture: s(), vm_mode: s(),
    auto_disk_config: b(), network_info: t, image_meta: t, launched_at: d, terminated_at: d, scheduled_at: d,
    deleted_at: d, deleted: i(), ...stamps,
  });
  await q.addIndex('instances', ['uuid'], { unique: true });
  await q.addIndex('instances', ['project_id', 'deleted']);
  await q.addIndex('instances', ['host', 'deleted']);
  await q.addIndex('instances', ['updated_at']);
  await q.addIndex('instances', ['reservation_id']);

  for (const table of ['instance_metadata', 'instance_system_metadata']) {
    await q.createTable(table, { id, instance_uuid: s(36, false), key: s(255, false), value: t });
    await q.addIndex(table, ['instance_uuid', 'key'], { unique: true });
  }
  await q.createTable('tags', {
    resource_id: { type: DataTypes.STRING(36), primaryKey: true, allowNull: false },
    tag: { type: DataTypes.STRING(80), primaryKey: true, allowNull: false },
  });
  await q.addIndex('tags', ['tag']);
  await q.createTable('instance_faults', {
    id, instance_uuid: s(36, false), code: i(null), message: s(255, false), details: t, host: s(),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('instance_faults', ['instance_uuid']);
  await q.createTable('instance_actions', {
    id, action: s(255, false), instance_uuid: s(36, false), request_id: s(255, false), user_id: s(), project_id: s(),
    start_time: { type: DataTypes.DATE, allowNull: false }, finish_time: d, message: s(), ...stamps,
  });
  await q.addIndex('instance_actions', ['instance_uuid', 'request_id']);
  await q.createTable('instance_actions_events', {
    id, action_id: i(null), event: s(255, false), start_time: { type: DataTypes.DATE, allowNull: false }, finish_time: d,
    result: s(), traceback: t, host: s(), details: t, ...stamps,
  });
  await q.addIndex('instance_actions_events', ['action_id']);

  await q.createTable('flavors', {
    id, flavorid: s(255, false), name: s(255, false), memory_mb: i(null), vcpus: i(null), root_gb: i(), ephemeral_gb: i(),
    swap: i(), rxtx_factor: { type: DataTypes.FLOAT, allowNull: false, defaultValue: 1 }, vcpu_weight: i(null),
    is_public: b(true), disabled: b(), description: t, ...stamps,
  });
  await q.addIndex('flavors', ['flavorid'], { unique: true });
  await q.addIndex('flavors', ['name'], { unique: true });
  await q.createTable('flavor_extra_specs', { id, flavor_id: i(null), key: s(255, false), value: s(255, false) });
  await q.addIndex('flavor_extra_specs', ['flavor_id', 'key'], { unique: true });
  await q.createTable('flavor_projects', { id, flavor_id: i(null), project_id: s(255, false) });
  await q.addIndex('flavor_projects', ['flavor_id', 'project_id'], { unique: true });
  await q.createTable('key_pairs', {
    id, name: s(255, false), user_id: s(255, false), fingerprint: s(255, false), public_key: { type: DataTypes.TEXT, allowNull: false },
    type: { ...s(16, false), defaultValue: 'ssh' }, ...stamps,
  });
  await q.addIndex('key_pairs', ['user_id', 'name'], { unique: true });

  await q.createTable('quotas', { id, project_id: s(255, false), user_id: { ...s(255, false), defaultValue: '' }, resource: s(255, false), hard_limit: i(null), ...stamps });
  await q.addIndex('quotas', ['project_id', 'user_id', 'resource'], { unique: true });
  await q.createTable('quota_classes', { id, class_name: s(255, false), resource: s(255, false), hard_limit: i(null), ...stamps });
  await q.addIndex('quota_classes', ['class_name', 'resource'], { unique: true });
  await q.createTable('quota_usages', { id, project_id: s(255, false), user_id: { ...s(255, false), defaultValue: '' }, resource: s(255, false), in_use: i(), ...stamps });
  await q.addIndex('quota_usages', ['project_id', 'user_id', 'resource'], { unique: true });
  await q.createTable('allocations', {
    id, consumer_id: s(36, false), compute_node_id: i(null), resource_class: s(255, false), used: i(null),
    created_at: { type: DataTypes.DATE, allowNull: false },
  });
  await q.addIndex('allocations', ['consumer_id']);
  await q.addIndex('allocations', ['compute_node_id', 'resource_class']);
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of ['allocations', 'quota_usages', 'quota_classes', 'quotas', 'key_pairs', 'flavor_projects',
    'flavor_extra_specs', 'flavors', 'instance_actions_events', 'instance_actions', 'instance_faults', 'tags',
    'instance_system_metadata', 'instance_metadata', 'instances', 'compute_nodes', 'services']) {
    await q.dropTable(table);
  }
}
