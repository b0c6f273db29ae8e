// SocketError: a TypeError whose message starts with "SocketError: ", with a machine-readable
// `code`. Node prints it as `SocketError [TypeError]: SocketError: ...`, as the spec's example does.

/** Every code a SocketError can carry. */
export type SocketErrorCode =
  | 'INVALID_ADDRESS' // malformed address, hostname or port
  | 'INVALID_OPTION' // an option value the spec does not allow
  | 'INVALID_ARGUMENT' // the component refused a value
  | 'NAME_UNRESOLVABLE'
  | 'TEMPORARY_RESOLVER_FAILURE'
  | 'CONNECTION_REFUSED'
  | 'CONNECTION_RESET'
  | 'CONNECTION_ABORTED'
  | 'REMOTE_UNREACHABLE'
  | 'TIMED_OUT'
  | 'ACCESS_DENIED'
  | 'TOO_MANY_OPEN_FILES' // EMFILE / ENFILE: no file descriptor for a new socket
  | 'OUT_OF_MEMORY' // the host or the component ran out of memory or buffer space
  | 'STARTTLS_NOT_ALLOWED' // startTls() without secureTransport "starttls", or called twice
  | 'INVALID_STATE'
  | 'INVALID_CHUNK' // a write of something that is not a BufferSource (or string)
  | 'CLOSED'
  | 'IO_ERROR'
  | 'TLS_CERTIFICATE_UNTRUSTED' // the chain does not lead to a trusted anchor
  | 'TLS_CERTIFICATE_EXPIRED'
  | 'TLS_CERTIFICATE_NOT_YET_VALID'
  | 'TLS_HOSTNAME_MISMATCH' // the certificate is not valid for the name asked for
  | 'TLS_CERTIFICATE_INVALID' // signature, constraints, key size, algorithm, usage
  | 'TLS_ALERT' // the peer sent a fatal alert (the message names it)
  | 'TLS_PROTOCOL_ERROR' // malformed, unexpected or undecryptable message
  | 'TLS_VERSION_UNSUPPORTED' // no protocol version both sides accept
  | 'TLS_HANDSHAKE_FAILURE' // no common cipher suite, group or signature scheme
  | 'INTERNAL_ERROR'; // a fault inside the component (a trap)

export class SocketError extends TypeError {
  readonly code: SocketErrorCode;
  constructor(message: string, code: SocketErrorCode = 'IO_ERROR', options?: { cause?: unknown }) {
    super(`SocketError: ${message}`, options);
    this.code = code;
  }
}

/** The component's error record ({ code: 'connection-refused', message }) as a SocketError. */
export function fromComponentError(e: unknown): SocketError {
  if (e instanceof SocketError) return e;
  const payload = (e as { payload?: unknown })?.payload ?? e;
  const p = payload as { code?: string; message?: string; tag?: string; val?: unknown };
  if (p && p.tag === 'failed' && p.val) return fromComponentError(p.val);
  if (p && typeof p.code === 'string' && typeof p.message === 'string') {
    return new SocketError(p.message, p.code.toUpperCase().replaceAll('-', '_') as SocketErrorCode);
  }
  return new SocketError(e instanceof Error ? e.message : String(e), 'IO_ERROR', { cause: e });
}

/**
 * A SocketError for a state rather than a call site (e.g. "the socket was closed"): built without
 * a stack trace, which costs more than the rest of closing a socket.
 */
export function stateError(message: string, code: SocketErrorCode): SocketError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new SocketError(message, code);
  } finally {
    Error.stackTraceLimit = limit;
  }
}
