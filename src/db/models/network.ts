import { DataTypes, Model, Sequelize } from 'sequelize';
import { common } from '../types';

/** One nova-network network: an IPv4 subnet with its bridge (and VLAN), gateway and DHCP server. */
export class NetworkRow extends Model {
  declare id: number;
  declare uuid: string;
  declare label: string | null;
  declare injected: boolean;
  declare cidr: string | null;
  declare cidr_v6: string | null;
  declare multi_host: boolean;
  declare netmask: string | null;
  declare netmask_v6: string | null;
  declare gateway: string | null;
  declare gateway_v6: string | null;
  declare broadcast: string | null;
  declare dns1: string | null;
  declare dns2: string | null;
  declare bridge: string | null;
  declare bridge_interface: string | null;
  declare vlan: number | null;
  declare vpn_public_address: string | null;
  declare vpn_public_port: number | null;
  declare vpn_private_address: string | null;
  declare dhcp_start: string | null;
  declare dhcp_server: string | null;
  declare enable_dhcp: boolean;
  declare share_address: boolean;
  declare mtu: number | null;
  declare rxtx_base: number | null;
  declare priority: number | null;
  declare project_id: string | null;
  declare host: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}

/** A guest NIC: its MAC and the network it is on. */
export class VirtualInterfaceRow extends Model {
  declare id: number;
  declare address: string;
  declare uuid: string;
  declare instance_uuid: string;
  declare network_id: number;
  declare tag: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}

/** One address of a network; `instance_uuid` set while an instance (or, with `host`, a DHCP server) holds it. */
export class FixedIpRow extends Model {
  declare id: number;
  declare address: string;
  declare network_id: number;
  declare virtual_interface_id: number | null;
  declare instance_uuid: string | null;
  declare allocated: boolean;
  declare leased: boolean;
  declare reserved: boolean;
  declare host: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}

/** A public address of a pool: allocated to a project, associated with a fixed IP on a host. */
export class FloatingIpRow extends Model {
  declare id: number;
  declare address: string;
  declare fixed_ip_id: number | null;
  declare project_id: string | null;
  declare host: string | null;
  declare auto_assigned: boolean;
  declare pool: string;
  declare interface: string | null;
  declare created_at: Date;
  declare updated_at: Date;
}

export class SecurityGroupRow extends Model {
  declare id: number;
  declare name: string;
  declare description: string | null;
  declare user_id: string | null;
  declare project_id: string;
  declare created_at: Date;
  declare updated_at: Date;
}

/** An ingress rule of `parent_group_id`: from a CIDR, or (`group_id`) from members of another group. */
export class SecurityGroupRuleRow extends Model {
  declare id: number;
  declare parent_group_id: number;
  declare protocol: string | null;
  declare from_port: number | null;
  declare to_port: number | null;
  declare cidr: string | null;
  declare group_id: number | null;
  declare created_at: Date;
  declare updated_at: Date;
}

export class SecurityGroupInstanceRow extends Model {
  declare id: number;
  declare security_group_id: number;
  declare instance_uuid: string;
}

const str = (n = 255, allowNull = true) => ({ type: DataTypes.STRING(n), allowNull });
// Fresh objects each time: sequelize writes the column name into an attribute's definition.
const int = () => ({ type: DataTypes.INTEGER, allowNull: true });
const bool = (defaultValue = false) => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue });
const pk = () => ({ type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true });

export function initNetworkModels(sequelize: Sequelize): void {
  NetworkRow.init({
    id: pk(), uuid: str(36, false), label: str(), injected: bool(), cidr: str(43), cidr_v6: str(43), multi_host: bool(),
    netmask: str(39), netmask_v6: str(39), gateway: str(39), gateway_v6: str(39), broadcast: str(39), dns1: str(39), dns2: str(39),
    bridge: str(), bridge_interface: str(), vlan: int(), vpn_public_address: str(39), vpn_public_port: int(), vpn_private_address: str(39),
    dhcp_start: str(39), dhcp_server: str(39), enable_dhcp: bool(true), share_address: bool(), mtu: int(), rxtx_base: int(), priority: int(),
    project_id: str(), host: str(),
  }, { ...common, sequelize, tableName: 'networks', modelName: 'Network' });

  VirtualInterfaceRow.init({
    id: pk(), address: str(255, false), uuid: str(36, false), instance_uuid: str(36, false),
    network_id: { type: DataTypes.INTEGER, allowNull: false }, tag: str(),
  }, { ...common, sequelize, tableName: 'virtual_interfaces', modelName: 'VirtualInterface' });

  FixedIpRow.init({
    id: pk(), address: str(39, false), network_id: { type: DataTypes.INTEGER, allowNull: false }, virtual_interface_id: int(),
    instance_uuid: str(36), allocated: bool(), leased: bool(), reserved: bool(), host: str(),
  }, { ...common, sequelize, tableName: 'fixed_ips', modelName: 'FixedIp' });

  FloatingIpRow.init({
    id: pk(), address: str(39, false), fixed_ip_id: int(), project_id: str(), host: str(), auto_assigned: bool(), pool: str(255, false), interface: str(),
  }, { ...common, sequelize, tableName: 'floating_ips', modelName: 'FloatingIp' });

  SecurityGroupRow.init({
    id: pk(), name: str(255, false), description: str(), user_id: str(), project_id: str(255, false),
  }, { ...common, sequelize, tableName: 'security_groups', modelName: 'SecurityGroup' });

  SecurityGroupRuleRow.init({
    id: pk(), parent_group_id: { type: DataTypes.INTEGER, allowNull: false }, protocol: str(), from_port: int(), to_port: int(), cidr: str(43), group_id: int(),
  }, { ...common, sequelize, tableName: 'security_group_rules', modelName: 'SecurityGroupRule' });

  SecurityGroupInstanceRow.init({
    id: pk(), security_group_id: { type: DataTypes.INTEGER, allowNull: false }, instance_uuid: str(36, false),
  }, { ...common, sequelize, tableName: 'security_group_instance_association', modelName: 'SecurityGroupInstanceAssociation' });
}
