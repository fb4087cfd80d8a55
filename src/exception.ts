/**
 * Nova's named errors. Each carries the HTTP code the API answers with and a message built from
 * keyword arguments, and is rebuilt as the same class when it crosses the queue.
 */
export class NovaError extends Error {
  static code = 500;
  static msgFmt = 'An unknown exception occurred.';
  readonly code: number;
  readonly kwargs: Record<string, unknown>;

  constructor(kwargs: Record<string, unknown> = {}, message?: string) {
    const cls = new.target as typeof NovaError;
    super(message ?? format(cls.msgFmt, kwargs));
    this.name = cls.name;
    this.code = (kwargs.code as number) ?? cls.code;
    this.kwargs = kwargs;
  }
}

function format(fmt: string, kwargs: Record<string, unknown>): string {
  return fmt.replace(/%\((\w+)\)s/g, (_, k: string) => (kwargs[k] === undefined ? `%(${k})s` : String(kwargs[k])));
}

export type NovaErrorClass = typeof NovaError;
const registry = new Map<string, NovaErrorClass>();

export function defineError(name: string, code: number, msgFmt: string, parent: NovaErrorClass = NovaError): NovaErrorClass {
  const cls = { [name]: class extends parent {} }[name] as NovaErrorClass;
  cls.code = code;
  cls.msgFmt = msgFmt;
  registry.set(name, cls);
  return cls;
}

/** Rebuilds an error that came back over RPC as its own class, when it is one of ours. */
export function errorFromRemote(className: string, message: string, kwargs: Record<string, unknown> = {}): Error | undefined {
  const cls = registry.get(className);
  return cls ? new cls(kwargs, message) : undefined;
}

// Generic families, as in nova/exception.py.
export const NotFound = defineError('NotFound', 404, 'Resource could not be found.');
export const Invalid = defineError('Invalid', 400, 'Bad Request - Invalid Parameters');
export const Forbidden = defineError('Forbidden', 403, 'Forbidden');
export const Conflict = defineError('Conflict', 409, 'Conflict');
export const NotImplemented = defineError('NotImplemented', 501, 'Not implemented.');

export const ValidationError = defineError('ValidationError', 400, '%(detail)s', Invalid);
export const PolicyNotAuthorized = defineError('PolicyNotAuthorized', 403, "Policy doesn't allow %(action)s to be performed.", Forbidden);
export const NotAuthenticated = defineError('NotAuthenticated', 401, 'Authentication required');

export const InstanceNotFound = defineError('InstanceNotFound', 404, 'Instance %(instance_id)s could not be found.', NotFound);
export const FlavorNotFound = defineError('FlavorNotFound', 404, 'Flavor %(flavor_id)s could not be found.', NotFound);
export const FlavorAccessNotFound = defineError('FlavorAccessNotFound', 404, 'Flavor access not found for %(flavor_id)s / %(project_id)s combination.', NotFound);
export const FlavorExtraSpecsNotFound = defineError('FlavorExtraSpecsNotFound', 404, 'Flavor %(flavor_id)s has no extra specs with key %(extra_specs_key)s.', NotFound);
export const ImageNotFound = defineError('ImageNotFound', 404, 'Image %(image_id)s could not be found.', NotFound);
export const KeypairNotFound = defineError('KeypairNotFound', 404, 'Keypair %(name)s not found for user %(user_id)s', NotFound);
export const ServiceNotFound = defineError('ServiceNotFound', 404, 'Service %(service_id)s could not be found.', NotFound);
export const ComputeHostNotFound = defineError('ComputeHostNotFound', 404, 'Compute host %(host)s could not be found.', NotFound);
export const HypervisorNotFound = defineError('HypervisorNotFound', 404, 'Hypervisor with ID %(hypervisor_id)s could not be found.', NotFound);
export const InstanceActionNotFound = defineError('InstanceActionNotFound', 404, 'Action for request_id %(request_id)s on instance %(instance_uuid)s not found', NotFound);
export const MetadataItemNotFound = defineError('MetadataItemNotFound', 404, 'Metadata item was not found', NotFound);
export const InstanceTagNotFound = defineError('InstanceTagNotFound', 404, "Instance %(instance_id)s has no tag '%(tag)s'", NotFound);
export const ProjectQuotaNotFound = defineError('ProjectQuotaNotFound', 404, 'Quota for project %(project_id)s could not be found.', NotFound);

export const FlavorExists = defineError('FlavorExists', 409, 'Flavor with name %(name)s already exists.', Conflict);
export const FlavorIdExists = defineError('FlavorIdExists', 409, 'Flavor with ID %(flavor_id)s already exists.', Conflict);
export const FlavorAccessExists = defineError('FlavorAccessExists', 409, 'Flavor access already exists for flavor %(flavor_id)s and project %(project_id)s combination.', Conflict);
export const KeyPairExists = defineError('KeyPairExists', 409, "Key pair '%(key_name)s' already exists.", Conflict);
export const InstanceInvalidState = defineError('InstanceInvalidState', 409, "Cannot '%(action)s' instance %(instance_uuid)s while it is in %(attr)s %(state)s", Conflict);
export const InstanceIsLocked = defineError('InstanceIsLocked', 409, 'Instance %(instance_uuid)s is locked', Conflict);
export const UnexpectedTaskStateError = defineError('UnexpectedTaskStateError', 409, 'Conflict updating instance %(instance_uuid)s. Expected: %(expected)s. Actual: %(actual)s', Conflict);
export const ServiceUnavailable = defineError('ServiceUnavailable', 409, 'Service is unavailable at this time.', Conflict);
export const TooManyInstances = defineError('TooManyInstances', 403, 'Quota exceeded for %(overs)s: Requested %(req)s, but already used %(used)s of %(allowed)s %(overs)s', Forbidden);
export const OverQuota = defineError('OverQuota', 403, 'Quota exceeded for resources: %(overs)s', Forbidden);
export const KeypairLimitExceeded = defineError('KeypairLimitExceeded', 403, 'Quota exceeded, too many key pairs.', OverQuota);
export const MetadataLimitExceeded = defineError('MetadataLimitExceeded', 403, 'Maximum number of metadata items exceeds %(allowed)d', OverQuota);

export const NoValidHost = defineError('NoValidHost', 500, 'No valid host was found. %(reason)s');
export const MaxRetriesExceeded = defineError('MaxRetriesExceeded', 500, 'Exceeded maximum number of retries. %(reason)s', NoValidHost);
export const RescheduledException = defineError('RescheduledException', 500, 'Build of instance %(instance_uuid)s was re-scheduled: %(reason)s');
export const BuildAbortException = defineError('BuildAbortException', 500, 'Build of instance %(instance_uuid)s aborted: %(reason)s');
export const InstanceNotRunning = defineError('InstanceNotRunning', 409, 'Instance %(instance_id)s is not running.', Conflict);
export const HypervisorUnavailable = defineError('HypervisorUnavailable', 500, 'Connection to the hypervisor is broken on host: %(host)s');
export const VirtDriverNotImplemented = defineError('VirtDriverNotImplemented', 501, 'Action %(action)s is not implemented for this hypervisor (%(driver)s).', NotImplemented);
export const InvalidInput = defineError('InvalidInput', 400, 'Invalid input received: %(reason)s', Invalid);
export const InvalidRequest = defineError('InvalidRequest', 400, 'The request is invalid.', Invalid);
export const InvalidGlobalAPIVersion = defineError('InvalidGlobalAPIVersion', 406, 'Version %(req_ver)s is not supported by the API. Minimum is %(min_ver)s and maximum is %(max_ver)s.');
export const InvalidAPIVersionString = defineError('InvalidAPIVersionString', 400, 'API Version String %(version)s is of invalid format. Must be of format MajorNum.MinorNum.', Invalid);
export const VersionNotFoundForAPIMethod = defineError('VersionNotFoundForAPIMethod', 404, 'API version %(version)s is not supported on this method.', NotFound);
export const ConfigDriveNotAllowed = defineError('ConfigDriveNotAllowed', 400, 'Config drive is not allowed.', Invalid);

// Servers: moves, images, rescue and shelve (nova/exception.py).
export const MigrationNotFound = defineError('MigrationNotFound', 404, 'Migration %(migration_id)s could not be found.', NotFound);
export const MigrationNotFoundByStatus = defineError('MigrationNotFoundByStatus', 404, 'Migration not found for instance %(instance_id)s with status %(status)s.', MigrationNotFound);
export const InvalidMigrationStatus = defineError('InvalidMigrationStatus', 409, 'Migration %(migration_id)s is in status %(status)s, expected %(expected)s.', Conflict);
export const InstanceNotReady = defineError('InstanceNotReady', 409, 'Instance %(instance_id)s is not ready', Conflict);
export const CannotResizeToSameFlavor = defineError('CannotResizeToSameFlavor', 400, 'When resizing, instances must change flavor!', Invalid);
export const CannotResizeDisk = defineError('CannotResizeDisk', 400, 'Server disk was unable to be resized because: %(reason)s', Invalid);
export const FlavorMemoryTooSmall = defineError('FlavorMemoryTooSmall', 400, "Flavor's memory is too small for requested image.", Invalid);
export const FlavorDiskSmallerThanMinDisk = defineError('FlavorDiskSmallerThanMinDisk', 400, "Flavor's disk is smaller than the minimum size specified in image metadata. Flavor disk is %(flavor_size)s bytes, minimum size is %(image_min_disk)s bytes.", Invalid);
export const ImageNotActive = defineError('ImageNotActive', 400, 'Image %(image_id)s is not active.', Invalid);
export const UnshelveInstanceInvalidState = defineError('UnshelveInstanceInvalidState', 409, 'Specifying an availability zone or a host when unshelving server "%(instance_uuid)s" with status "%(state)s" is not supported. The server status must be SHELVED_OFFLOADED.', Conflict);
export const InvalidMetadataSize = defineError('InvalidMetadataSize', 400, 'Invalid metadata size: %(reason)s', Invalid);
export const CannotMigrateToSameHost = defineError('CannotMigrateToSameHost', 400, 'Cannot migrate to the host where the server exists.', Invalid);
export const MarkerNotFound = defineError('MarkerNotFound', 400, 'Marker %(marker)s could not be found.', Invalid);
export const InvalidKeypair = defineError('InvalidKeypair', 400, 'Keypair data is invalid: %(reason)s', Invalid);
export const InvalidStrTime = defineError('InvalidStrTime', 400, 'Invalid datetime string: %(reason)s', Invalid);

// Image service errors (nova/exception.py), raised by the image client from Glance's answers.
export const ImageNotAuthorized = defineError('ImageNotAuthorized', 403, 'Not authorized for image %(image_id)s.', Forbidden);
export const ImageBadRequest = defineError('ImageBadRequest', 400, 'Request of image %(image_id)s got BadRequest response: %(response)s', Invalid);
export const ImageUnacceptable = defineError('ImageUnacceptable', 400, 'Image %(image_id)s is unacceptable: %(reason)s', Invalid);
export const ImageConflict = defineError('ImageConflict', 409, 'Conflict on image %(image_id)s: %(reason)s', Conflict);
export const ImageQuotaExceeded = defineError('ImageQuotaExceeded', 413, 'Quota exceeded or out of space for image %(image_id)s in the image service.');
export const GlanceConnectionFailed = defineError('GlanceConnectionFailed', 503, 'Connection to glance host %(server)s failed: %(reason)s');

// Hypervisor driver errors.
export const ResizeError = defineError('ResizeError', 500, 'Resize error: %(reason)s', NovaError);
export const ConsoleTypeUnavailable = defineError('ConsoleTypeUnavailable', 400, 'Unavailable console type %(console_type)s.', Invalid);
export const InstanceNotRescuable = defineError('InstanceNotRescuable', 409, 'Instance %(instance_id)s cannot be rescued: %(reason)s', Conflict);
export const ImageChecksumMismatch = defineError('ImageChecksumMismatch', 500,
  'Image %(image_id)s downloaded with md5 %(got)s but the image service records %(want)s: the download is corrupt or the image was changed', NovaError);
export const FlavorDiskSmallerThanImage = defineError('FlavorDiskSmallerThanImage', 400,
  "Flavor's disk is too small for requested image. Flavor disk is %(flavor_size)s bytes, image is %(image_size)s bytes.", Invalid);
export const AggregateNotFound = defineError('AggregateNotFound', 404, 'Aggregate %(aggregate_id)s could not be found.', NotFound);
export const AggregateNameExists = defineError('AggregateNameExists', 409, 'Aggregate %(aggregate_name)s already exists.', Conflict);
export const AggregateHostExists = defineError('AggregateHostExists', 409, 'Aggregate %(aggregate_id)s already has host %(host)s.', Conflict);
export const AggregateHostNotFound = defineError('AggregateHostNotFound', 404, 'Aggregate %(aggregate_id)s has no host %(host)s.', NotFound);
export const InvalidAggregateAction = defineError('InvalidAggregateAction', 400, 'Cannot %(action)s aggregate %(aggregate_id)s. Reason: %(reason)s.', Invalid);
/** Nova answers a refused add_host with 409, other refused aggregate actions with 400. */
export const InvalidAggregateActionAdd = defineError('InvalidAggregateActionAdd', 409, 'Cannot add host to aggregate %(aggregate_id)s. Reason: %(reason)s.', Conflict);
export const InstanceGroupNotFound = defineError('InstanceGroupNotFound', 404, 'Instance group %(group_uuid)s could not be found.', NotFound);
export const ServerGroupLimitExceeded = defineError('ServerGroupLimitExceeded', 403, 'Quota exceeded, too many server groups.', OverQuota);
export const ServerGroupMemberLimitExceeded = defineError('ServerGroupMemberLimitExceeded', 403, 'Quota exceeded, too many servers in group', OverQuota);
export const MigrationError = defineError('MigrationError', 500, 'Migration error: %(reason)s');
export const MigrationPreCheckError = defineError('MigrationPreCheckError', 400, 'Migration pre-check error: %(reason)s', MigrationError);
