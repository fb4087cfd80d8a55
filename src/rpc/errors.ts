import { RemoteFailure, Target, targetName } from './types';

/** Raised by a call whose reply did not come within rpc_response_timeout. */
export class MessagingTimeout extends Error {
  constructor(readonly target: Target, readonly method: string, readonly timeoutMs: number) {
    super(`Timed out waiting for a reply to ${method} on ${targetName(target)} after ${timeoutMs / 1000}s ` +
      `(is the ${target.topic} service running${target.server ? ` on host ${target.server}` : ''}?)`);
    this.name = 'MessagingTimeout';
  }
}

/** An error raised by the remote side of a call, carried back with its class and message. */
export class RemoteError extends Error {
  readonly exc_type: string;
  readonly code?: number;
  readonly kwargs?: Record<string, unknown>;
  constructor(failure: RemoteFailure) {
    super(failure.message);
    this.name = 'RemoteError';
    this.exc_type = failure.class;
    this.code = failure.code;
    this.kwargs = failure.kwargs;
  }
}

export class TransportError extends Error {
  constructor(message: string, override readonly cause?: unknown) {
    super(message);
    this.name = 'TransportError';
  }
}

/** The method is not exposed by the endpoint, or its major version is not supported. */
export class UnsupportedVersion extends Error {
  constructor(method: string, version: string) {
    super(`Endpoint does not support RPC method ${method} at version ${version}`);
    this.name = 'UnsupportedVersion';
  }
}
