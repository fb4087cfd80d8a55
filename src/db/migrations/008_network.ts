import { DataTypes, QueryInterface } from 'sequelize';

// nova-network's tables (Nova's networks, fixed_ips, floating_ips, virtual_interfaces and the security
// group tables), rows deleted for good instead of soft-deleted. Frozen once landed: later changes go in
// new numbered files.
// Fresh objects per column: sequelize may write into a column's definition.
const pk = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true, allowNull: false });
const s = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
const int = () => ({ type: DataTypes.INTEGER, allowNull: true });
const b = (defaultValue = false) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });
const ip = () => s(39);
const stamps = () => ({ created_at: { type: DataTypes.DATE, allowNull: false }, updated_at: { type: DataTypes.DATE, allowNull: false } });

export async function up({ context: q }: { context: QueryInterface }): Promise<void> {
  await q.createTable('networks', {
    id: pk(), uuid: s(36, false), label: s(), injected: b(), cidr: s(43), cidr_v6: s(43), multi_host: b(),
    netmask: ip(), netmask_v6: ip(), gateway: ip(), gateway_v6: ip(), broadcast: ip(), dns1: ip(), dns2: ip(),
    bridge: s(), bridge_interface: s(), vlan: int(), vpn_public_address: ip(), vpn_public_port: int(), vpn_private_address: ip(),
    dhcp_start: ip(), dhcp_server: ip(), enable_dhcp: b(true), share_address: b(), mtu: int(), rxtx_base: int(), priority: int(),
    project_id: s(), host: s(), ...stamps(),
  });
  await q.addIndex('networks', ['uuid'], { unique: true, name: 'networks_uuid' });
  await q.addIndex('networks', ['vlan'], { unique: true, name: 'networks_vlan' });
  await q.addIndex('networks', ['project_id'], { name: 'networks_project_id' });
  await q.addIndex('networks', ['host'], { name: 'networks_host' });

  await q.createTable('virtual_interfaces', {
    id: pk(), address: s(255, false), uuid: s(36, false), instance_uuid: s(36, false), network_id: { type: DataTypes.INTEGER, allowNull: false }, tag: s(), ...stamps(),
  });
  await q.addIndex('virtual_interfaces', ['address'], { unique: true, name: 'virtual_interfaces_address' });
  await q.addIndex('virtual_interfaces', ['uuid'], { unique: true, name: 'virtual_interfaces_uuid' });
  await q.addIndex('virtual_interfaces', ['instance_uuid'], { name: 'virtual_interfaces_instance_uuid' });

  await q.createTable('fixed_ips', {
    id: pk(), address: s(39, false), network_id: { type: DataTypes.INTEGER, allowNull: false }, virtual_interface_id: int(),
    instance_uuid: s(36), allocated: b(), leased: b(), reserved: b(), host: s(), ...stamps(),
  });
  await q.addIndex('fixed_ips', ['address'], { unique: true, name: 'fixed_ips_address' });
  await q.addIndex('fixed_ips', ['network_id', 'instance_uuid', 'reserved'], { name: 'fixed_ips_network_free' });
  await q.addIndex('fixed_ips', ['instance_uuid'], { name: 'fixed_ips_instance_uuid' });
  await q.addIndex('fixed_ips', ['virtual_interface_id'], { name: 'fixed_ips_virtual_interface_id' });

  await q.createTable('floating_ips', {
    id: pk(), address: s(39, false), fixed_ip_id: int(), project_id: s(), host: s(), auto_assigned: b(), pool: s(255, false), interface: s(), ...stamps(),
  });
  await q.addIndex('floating_ips', ['address'], { unique: true, name: 'floating_ips_address' });
  await q.addIndex('floating_ips', ['pool', 'project_id'], { name: 'floating_ips_pool_project_id' });
  await q.addIndex('floating_ips', ['fixed_ip_id'], { name: 'floating_ips_fixed_ip_id' });
  await q.addIndex('floating_ips', ['host'], { name: 'floating_ips_host' });

  await q.createTable('security_groups', { id: pk(), name: s(255, false), description: s(), user_id: s(), project_id: s(255, false), ...stamps() });
  await q.addIndex('security_groups', ['project_id', 'name'], { unique: true, name: 'security_groups_project_id_name' });
  await q.createTable('security_group_rules', {
    id: pk(), parent_group_id: { type: DataTypes.INTEGER, allowNull: false }, protocol: s(), from_port: int(), to_port: int(), cidr: s(43), group_id: int(), ...stamps(),
  });
  await q.addIndex('security_group_rules', ['parent_group_id'], { name: 'security_group_rules_parent_group_id' });
  await q.addIndex('security_group_rules', ['group_id'], { name: 'security_group_rules_group_id' });
  await q.createTable('security_group_instance_association', {
    id: pk(), security_group_id: { type: DataTypes.INTEGER, allowNull: false }, instance_uuid: s(36, false), ...stamps(),
  });
  await q.addIndex('security_group_instance_association', ['security_group_id', 'instance_uuid'], { unique: true, name: 'security_group_instance_association_pair' });
  await q.addIndex('security_group_instance_association', ['instance_uuid'], { name: 'security_group_instance_association_instance_uuid' });
}

export async function down({ context: q }: { context: QueryInterface }): Promise<void> {
  for (const table of ['security_group_instance_association', 'security_group_rules', 'security_groups', 'floating_ips',
    'fixed_ips', 'virtual_interfaces', 'networks']) {
    await q.dropTable(table);
  }
}
