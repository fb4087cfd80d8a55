import { Conflict, defineError, Forbidden, Invalid, NotFound, NovaError } from '../exception';

// nova-network's errors with Nova's names and messages (nova/exception.py of 15.0 Ocata). Defining
// them registers them, so they come back over RPC as themselves.

export const NetworkNotFound = defineError('NetworkNotFound', 404, 'Network %(network_id)s could not be found.', NotFound);
export const NetworkNotFoundForUUID = defineError('NetworkNotFoundForUUID', 404, 'Network could not be found for uuid %(uuid)s', NetworkNotFound);
export const NetworkNotFoundForProject = defineError('NetworkNotFoundForProject', 404, 'Either network uuid %(network_uuid)s is not present or is not assigned to the project %(project_id)s.', NetworkNotFound);
export const NetworkInUse = defineError('NetworkInUse', 409, 'Network %(network_id)s is still in use.', Conflict);
export const NetworkHasProject = defineError('NetworkHasProject', 409, 'Network must be disassociated from project %(project_id)s before it can be deleted.', NetworkInUse);
export const NetworkNotCreated = defineError('NetworkNotCreated', 400, '%(req)s is required to create a network.', Invalid);
export const InvalidCidr = defineError('InvalidCidr', 400, '%(cidr)s is not a valid IP network.', Invalid);
export const InvalidAddress = defineError('InvalidAddress', 400, '%(address)s is not a valid IP address.', Invalid);
export const AddressOutOfRange = defineError('AddressOutOfRange', 400, '%(address)s is not within %(cidr)s.', Invalid);
export const InvalidIntValue = defineError('InvalidIntValue', 400, '%(key)s must be an integer.', Invalid);
export const CidrConflict = defineError('CidrConflict', 409, 'Requested cidr (%(cidr)s) conflicts with existing cidr (%(other)s)', Conflict);
export const DuplicateVlan = defineError('DuplicateVlan', 409, 'Detected existing vlan with id %(vlan)s', Conflict);
/** Ours: two DHCP networks on one bridge would share (and fight over) one dnsmasq. */
export const BridgeInUse = defineError('BridgeInUse', 409, 'Bridge %(bridge)s is already used by network %(network)s; give this network another bridge.', Conflict);
export const NoMoreNetworks = defineError('NoMoreNetworks', 400, 'No more available networks.', Invalid);
export const IPv6NotSupported = defineError('IPv6NotSupported', 400, 'IPv6 networks (cidr_v6) are not supported by this nova-network; give an IPv4 cidr.', Invalid);

export const FixedIpNotFound = defineError('FixedIpNotFound', 404, 'No fixed IP associated with id %(id)s.', NotFound);
export const FixedIpNotFoundForAddress = defineError('FixedIpNotFoundForAddress', 404, 'Fixed IP not found for address %(address)s.', FixedIpNotFound);
export const FixedIpNotFoundForNetwork = defineError('FixedIpNotFoundForNetwork', 400, 'Fixed IP address (%(address)s) does not exist in network (%(network_uuid)s).', Invalid);
export const FixedIpInvalid = defineError('FixedIpInvalid', 400, 'Fixed IP address %(address)s is invalid.', Invalid);
export const FixedIpAlreadyInUse = defineError('FixedIpAlreadyInUse', 400, 'Fixed IP address %(address)s is already in use on instance %(instance_uuid)s.', Invalid);
export const NoMoreFixedIps = defineError('NoMoreFixedIps', 400, 'No fixed IP addresses available for network: %(net)s', Invalid);
export const FixedIpLimitExceeded = defineError('FixedIpLimitExceeded', 403, 'Maximum number of fixed IPs exceeded', Forbidden);

export const FloatingIpNotFound = defineError('FloatingIpNotFound', 404, 'Floating IP not found for ID %(id)s.', NotFound);
export const FloatingIpNotFoundForAddress = defineError('FloatingIpNotFoundForAddress', 404, 'Floating IP not found for address %(address)s.', FloatingIpNotFound);
export const FloatingIpPoolNotFound = defineError('FloatingIpPoolNotFound', 404, 'Floating IP pool not found.', NotFound);
export const NoMoreFloatingIps = defineError('NoMoreFloatingIps', 404, 'Zero floating IPs available.', FloatingIpNotFound);
export const FloatingIpLimitExceeded = defineError('FloatingIpLimitExceeded', 403, 'Maximum number of floating IPs exceeded', Forbidden);
export const FloatingIpAssociated = defineError('FloatingIpAssociated', 400, 'Floating IP %(address)s is associated.', Invalid);
export const FloatingIpNotAssociated = defineError('FloatingIpNotAssociated', 400, 'Floating IP %(address)s is not associated.', Invalid);
export const CannotDisassociateAutoAssignedFloatingIP = defineError('CannotDisassociateAutoAssignedFloatingIP', 403, 'Cannot disassociate auto assigned floating IP', Forbidden);
export const NoFloatingIpInterface = defineError('NoFloatingIpInterface', 400, 'Interface %(interface)s not found.', Invalid);

export const SecurityGroupNotFound = defineError('SecurityGroupNotFound', 404, 'Security group %(security_group_id)s not found.', NotFound);
export const SecurityGroupNotFoundForProject = defineError('SecurityGroupNotFoundForProject', 404, 'Security group %(security_group_id)s not found for project %(project_id)s.', SecurityGroupNotFound);
export const SecurityGroupExists = defineError('SecurityGroupExists', 400, 'Security group %(security_group_name)s already exists for project %(project_id)s.', Invalid);
export const SecurityGroupExistsForInstance = defineError('SecurityGroupExistsForInstance', 400, 'Security group %(security_group_id)s is already associated with the instance %(instance_id)s', Invalid);
export const SecurityGroupNotExistsForInstance = defineError('SecurityGroupNotExistsForInstance', 400, 'Security group %(security_group_id)s is not associated with the instance %(instance_id)s', Invalid);
export const SecurityGroupLimitExceeded = defineError('SecurityGroupLimitExceeded', 403, 'Maximum number of security groups or rules exceeded', Forbidden);
/** Ours, so callers (the EC2 API) can tell them apart; the messages are Nova's. */
export const SecurityGroupInUse = defineError('SecurityGroupInUse', 400, 'Security group is still in use', Invalid);
export const SecurityGroupRuleExists = defineError('SecurityGroupRuleExists', 400, 'This rule already exists in group %(group_id)s', Invalid);
export const SecurityGroupSystemGroup = defineError('SecurityGroupSystemGroup', 400, "Unable to %(action)s system group '%(name)s'", Invalid);
export const InvalidIpProtocol = defineError('InvalidIpProtocol', 400, 'Invalid IP protocol %(protocol)s.', Invalid);
export const InvalidPortRange = defineError('InvalidPortRange', 400, 'Invalid port range %(from_port)s:%(to_port)s. %(msg)s', Invalid);

export const VirtualInterfaceMacAddressException = defineError('VirtualInterfaceMacAddressException', 500, 'Creation of virtual interface with unique mac address failed');
export const NetworkDhcpReleaseFailed = defineError('NetworkDhcpReleaseFailed', 500, 'Failed to release IP %(address)s with MAC %(mac_address)s');
/** Ours: what the network service needs from the host is missing (command, namespace, root). */
export const NetworkHostSetupFailed = defineError('NetworkHostSetupFailed', 500, 'nova-network cannot set up this host: %(reason)s');
/** Ours: networks were asked for and no nova-network service is up to give them. */
export const NetworkServiceUnavailable = defineError('NetworkServiceUnavailable', 503, 'No nova-network service is up to %(action)s: start one (`nova daemon network`) or boot with networks "none".');

export { NovaError };
