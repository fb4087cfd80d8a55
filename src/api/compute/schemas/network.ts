import { types } from '../../validation';

/** Request schemas of the nova-network proxy APIs (Nova's schemas/networks.py, tenant_networks.py, fixed_ips.py, floating_ips.py). */

const cidr = { type: 'string', format: 'cidr' };
const ipv4 = { type: 'string', format: 'ipv4' };
const ipv6 = { type: 'string', format: 'ipv6' };
const ipAddress = { type: 'string', oneOf: [{ format: 'ipv4' }, { format: 'ipv6' }] };
const projectId = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-]*$' };
const hostname = { type: 'string', minLength: 1, maxLength: 255, pattern: '^[a-zA-Z0-9-._]*$' };
const none = { enum: ['None', null, {}] };

export const createNetwork = {
  type: 'object',
  properties: {
    network: {
      type: 'object',
      properties: {
        label: { type: 'string', maxLength: 255 }, ipam: types.boolean, cidr, cidr_v6: cidr, project_id: projectId, multi_host: types.boolean,
        gateway: ipv4, gateway_v6: ipv6, bridge: { type: 'string' }, bridge_interface: { type: 'string' }, dns1: ipv4, dns2: ipv4,
        dhcp_server: ipv4, fixed_cidr: cidr, allowed_start: ipAddress, allowed_end: ipAddress, enable_dhcp: types.boolean,
        share_address: types.boolean, mtu: types.positiveInteger, vlan: types.positiveInteger, vlan_start: types.positiveInteger,
        vpn_start: { type: 'string' },
      },
      required: ['label'],
      oneOf: [{ required: ['cidr'] }, { required: ['cidr_v6'] }],
      additionalProperties: false,
    },
  },
  required: ['network'],
  additionalProperties: false,
};

export const addNetworkToProject = {
  type: 'object', properties: { id: { type: ['string', 'null'] } }, required: ['id'], additionalProperties: false,
};

export const associateHost = {
  type: 'object', properties: { associate_host: hostname }, required: ['associate_host'], additionalProperties: false,
};

export const createTenantNetwork = {
  type: 'object',
  properties: {
    network: {
      type: 'object',
      properties: {
        label: { type: 'string', maxLength: 255 }, ipam: types.boolean, cidr, cidr_v6: cidr, vlan_start: types.positiveInteger,
        network_size: types.positiveInteger, num_networks: types.positiveInteger,
      },
      required: ['label'],
      oneOf: [{ required: ['cidr'] }, { required: ['cidr_v6'] }],
      additionalProperties: false,
    },
  },
  required: ['network'],
  additionalProperties: false,
};

export const reserveFixedIp = { type: 'object', properties: { reserve: none }, required: ['reserve'], additionalProperties: false };
export const unreserveFixedIp = { type: 'object', properties: { unreserve: none }, required: ['unreserve'], additionalProperties: false };

export const addFloatingIp = {
  type: 'object',
  properties: {
    addFloatingIp: {
      type: 'object', properties: { address: ipAddress, fixed_address: ipAddress }, required: ['address'], additionalProperties: false,
    },
  },
  required: ['addFloatingIp'],
  additionalProperties: false,
};

export const removeFloatingIp = {
  type: 'object',
  properties: { removeFloatingIp: { type: 'object', properties: { address: ipAddress }, required: ['address'], additionalProperties: false } },
  required: ['removeFloatingIp'],
  additionalProperties: false,
};
