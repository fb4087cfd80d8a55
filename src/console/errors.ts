import { Conflict, defineError, Invalid, NotFound, NotImplemented } from '../exception';

// Console errors (nova/exception.py of 18.0 Rocky). Kept beside the consoles rather than in
// src/exception.ts so this feature merges without touching the shared list; the consoleauth RPC client
// and the compute manager import this file, so the errors cross the queue as themselves.
export const ConsoleTypeInvalid = defineError('ConsoleTypeInvalid', 400, 'Invalid console type %(console_type)s', Invalid);
/** Declared with the driver errors (the libvirt driver raises it too). */
export { ConsoleTypeUnavailable } from '../exception';
/** 409 in the API (Nova maps InstanceNotReady to HTTPConflict in remote_consoles.py). */
export const InstanceNotReady = defineError('InstanceNotReady', 409, 'Instance %(instance_id)s is not ready', Conflict);
export const ConsoleNotAvailable = defineError('ConsoleNotAvailable', 404, 'Guest does not have a console available.', NotFound);
export const InvalidToken = defineError('InvalidToken', 400, "The token '%(token)s' is invalid or has expired", Invalid);
export const InvalidConnectionInfo = defineError('InvalidConnectionInfo', 400, 'Invalid Connection Info', Invalid);
/** Nova's common.raise_feature_not_supported(). */
export const ConsoleNotSupported = defineError('ConsoleNotSupported', 501, 'The requested functionality is not supported.', NotImplemented);
