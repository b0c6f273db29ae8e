// The component's error model: one code (the WIT `error-code` enum, same order) and a message.

export const enum ErrorCode {
  InvalidAddress = 0,
  InvalidArgument,
  NameUnresolvable,
  TemporaryResolverFailure,
  ConnectionRefused,
  ConnectionReset,
  ConnectionAborted,
  RemoteUnreachable,
  TimedOut,
  AccessDenied,
  TooManyOpenFiles,
  OutOfMemory,
  InvalidState,
  Closed,
  IoError,
  TlsCertificateUntrusted,
  TlsCertificateExpired,
  TlsCertificateNotYetValid,
  TlsHostnameMismatch,
  TlsCertificateInvalid,
  TlsAlert,
  TlsProtocolError,
  TlsVersionUnsupported,
  TlsHandshakeFailure,
  InternalError,
}

export class SocketError {
  constructor(public code: ErrorCode, public message: string) {}
}

import { NetError, netErrorName } from "../abi/wasi";

/** Maps a wasi:sockets error-code to ours, with a message naming what was being done. */
export function fromNetError(code: i32, doing: string): SocketError {
  let c: ErrorCode;
  switch (code) {
    case NetError.ConnectionRefused: c = ErrorCode.ConnectionRefused; break;
    case NetError.ConnectionReset: c = ErrorCode.ConnectionReset; break;
    case NetError.ConnectionAborted: c = ErrorCode.ConnectionAborted; break;
    case NetError.RemoteUnreachable: c = ErrorCode.RemoteUnreachable; break;
    case NetError.Timeout: c = ErrorCode.TimedOut; break;
    case NetError.AccessDenied: c = ErrorCode.AccessDenied; break;
    case NetError.NewSocketLimit: c = ErrorCode.TooManyOpenFiles; break;
    case NetError.OutOfMemory: c = ErrorCode.OutOfMemory; break;
    case NetError.NameUnresolvable:
    case NetError.PermanentResolverFailure: c = ErrorCode.NameUnresolvable; break;
    case NetError.TemporaryResolverFailure: c = ErrorCode.TemporaryResolverFailure; break;
    case NetError.InvalidArgument: c = ErrorCode.InvalidArgument; break;
    default: c = ErrorCode.IoError;
  }
  return new SocketError(c, doing + ": " + netErrorName(code));
}
