import { NovaError } from '../exception';

/** An error the EC2 API answers with its own code (`<Error><Code>`), as AWS names them. */
export class Ec2Error extends Error {
  constructor(readonly code: string, message: string, readonly status = 400) {
    super(message);
    this.name = 'Ec2Error';
  }
}

/** Nova's errors as EC2 codes: what EC2 clients know. Unknown ones are 500 InternalError (and logged). */
const BY_NOVA_NAME: Record<string, string> = {
  InstanceNotFound: 'InvalidInstanceID.NotFound',
  ImageNotFound: 'InvalidAMIID.NotFound',
  InvalidEc2Id: 'InvalidParameterValue',
  KeypairNotFound: 'InvalidKeyPair.NotFound',
  KeyPairExists: 'InvalidKeyPair.Duplicate',
  InvalidKeypair: 'InvalidKeyPair.Format',
  FlavorNotFound: 'InvalidParameterValue',
  InstanceInvalidState: 'IncorrectInstanceState',
  InstanceIsLocked: 'IncorrectInstanceState',
  InstanceNotReady: 'IncorrectInstanceState',
  KeypairLimitExceeded: 'ResourceLimitExceeded',
  TooManyInstances: 'InstanceLimitExceeded',
  MetadataLimitExceeded: 'ResourceLimitExceeded',
  Forbidden: 'UnauthorizedOperation',
  PolicyNotAuthorized: 'UnauthorizedOperation',
  SecurityGroupNotFound: 'InvalidGroup.NotFound',
  SecurityGroupNotFoundForProject: 'InvalidGroup.NotFound',
  SecurityGroupExists: 'InvalidGroup.Duplicate',
  SecurityGroupInUse: 'InvalidGroup.InUse',
  SecurityGroupSystemGroup: 'CannotDelete',
  SecurityGroupRuleExists: 'InvalidPermission.Duplicate',
  SecurityGroupLimitExceeded: 'ResourceLimitExceeded',
  FloatingIpNotFound: 'InvalidAddress.NotFound',
  FloatingIpNotFoundForAddress: 'InvalidAddress.NotFound',
  NoMoreFloatingIps: 'AddressLimitExceeded',
  FloatingIpLimitExceeded: 'AddressLimitExceeded',
  FloatingIpPoolNotFound: 'AddressLimitExceeded',
  FloatingIpAssociated: 'Resource.AlreadyAssociated',
  FloatingIpNotAssociated: 'InvalidAssociationID.NotFound',
  CannotDisassociateAutoAssignedFloatingIP: 'UnauthorizedOperation',
};

/** The EC2 code, status and message for any error an action throws. */
export function ec2ErrorOf(e: unknown): { code: string; status: number; message: string } {
  if (e instanceof Ec2Error) return { code: e.code, status: e.status, message: e.message };
  if (e instanceof NovaError) {
    const byName = [e.constructor.name, e.name].map((n) => BY_NOVA_NAME[n]).find(Boolean);
    if (byName) return { code: byName, status: 400, message: e.message };
    const http = (e as { code?: number }).code;
    if (typeof http === 'number' && http < 500) return { code: http === 403 ? 'UnauthorizedOperation' : 'InvalidParameterValue', status: 400, message: e.message };
  }
  return { code: 'InternalError', status: 500, message: 'An internal error has occurred' };
}
