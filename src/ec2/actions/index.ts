import { allocateAddress, associateAddress, describeAddresses, disassociateAddress, releaseAddress } from './addresses';
import { Ec2Action } from './env';
import { deregisterImage, describeImages } from './images';
import { describeInstances, getConsoleOutput, rebootInstances, startInstances, stopInstances, terminateInstances } from './instances';
import { createKeyPair, deleteKeyPair, describeKeyPairs, importKeyPair } from './keypairs';
import { describeAvailabilityZones, describeRegions } from './regions';
import { registerImage } from './register_image';
import { runInstances } from './run';
import {
  authorizeSecurityGroupIngress, createSecurityGroup, deleteSecurityGroup, describeSecurityGroups, revokeSecurityGroupIngress,
} from './security_groups';
import { createTags, deleteTags, describeTags } from './tags';

export type { Ec2Action, Ec2Env } from './env';

/** Every Query API action this service answers; anything else is InvalidAction. */
export const ACTIONS: Record<string, Ec2Action> = {
  DescribeRegions: describeRegions,
  DescribeAvailabilityZones: describeAvailabilityZones,
  DescribeImages: describeImages,
  DeregisterImage: deregisterImage,
  RegisterImage: registerImage,
  DescribeInstances: describeInstances,
  RunInstances: runInstances,
  TerminateInstances: terminateInstances,
  RebootInstances: rebootInstances,
  StopInstances: stopInstances,
  StartInstances: startInstances,
  GetConsoleOutput: getConsoleOutput,
  DescribeKeyPairs: describeKeyPairs,
  CreateKeyPair: createKeyPair,
  ImportKeyPair: importKeyPair,
  DeleteKeyPair: deleteKeyPair,
  CreateTags: createTags,
  DeleteTags: deleteTags,
  DescribeTags: describeTags,
  DescribeSecurityGroups: describeSecurityGroups,
  CreateSecurityGroup: createSecurityGroup,
  DeleteSecurityGroup: deleteSecurityGroup,
  AuthorizeSecurityGroupIngress: authorizeSecurityGroupIngress,
  RevokeSecurityGroupIngress: revokeSecurityGroupIngress,
  AllocateAddress: allocateAddress,
  AssociateAddress: associateAddress,
  DisassociateAddress: disassociateAddress,
  ReleaseAddress: releaseAddress,
  DescribeAddresses: describeAddresses,
};
