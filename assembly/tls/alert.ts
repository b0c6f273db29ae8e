// TLS alerts (RFC 8446, 6) and how a TLS failure becomes a SocketError.

import { ErrorCode, SocketError } from "../net/errors";

export const ALERT_CLOSE_NOTIFY: u8 = 0;
export const ALERT_UNEXPECTED_MESSAGE: u8 = 10;
export const ALERT_BAD_RECORD_MAC: u8 = 20;
export const ALERT_RECORD_OVERFLOW: u8 = 22;
export const ALERT_HANDSHAKE_FAILURE: u8 = 40;
export const ALERT_BAD_CERTIFICATE: u8 = 42;
export const ALERT_UNSUPPORTED_CERTIFICATE: u8 = 43;
export const ALERT_CERTIFICATE_REVOKED: u8 = 44;
export const ALERT_CERTIFICATE_EXPIRED: u8 = 45;
export const ALERT_CERTIFICATE_UNKNOWN: u8 = 46;
export const ALERT_ILLEGAL_PARAMETER: u8 = 47;
export const ALERT_UNKNOWN_CA: u8 = 48;
export const ALERT_ACCESS_DENIED: u8 = 49;
export const ALERT_DECODE_ERROR: u8 = 50;
export const ALERT_DECRYPT_ERROR: u8 = 51;
export const ALERT_PROTOCOL_VERSION: u8 = 70;
export const ALERT_INSUFFICIENT_SECURITY: u8 = 71;
export const ALERT_INTERNAL_ERROR: u8 = 80;
export const ALERT_INAPPROPRIATE_FALLBACK: u8 = 86;
export const ALERT_USER_CANCELED: u8 = 90;
export const ALERT_NO_RENEGOTIATION: u8 = 100;
export const ALERT_MISSING_EXTENSION: u8 = 109;
export const ALERT_UNSUPPORTED_EXTENSION: u8 = 110;
export const ALERT_UNRECOGNIZED_NAME: u8 = 112;
export const ALERT_BAD_CERTIFICATE_STATUS_RESPONSE: u8 = 113;
export const ALERT_UNKNOWN_PSK_IDENTITY: u8 = 115;
export const ALERT_CERTIFICATE_REQUIRED: u8 = 116;
export const ALERT_NO_APPLICATION_PROTOCOL: u8 = 120;

/** The RFC's name of an alert description ("handshake_failure"), or "alert N". */
export function alertName(d: i32): string {
  switch (d) {
    case 0: return "close_notify";
    case 10: return "unexpected_message";
    case 20: return "bad_record_mac";
    case 21: return "decryption_failed";
    case 22: return "record_overflow";
    case 30: return "decompression_failure";
    case 40: return "handshake_failure";
    case 41: return "no_certificate";
    case 42: return "bad_certificate";
    case 43: return "unsupported_certificate";
    case 44: return "certificate_revoked";
    case 45: return "certificate_expired";
    case 46: return "certificate_unknown";
    case 47: return "illegal_parameter";
    case 48: return "unknown_ca";
    case 49: return "access_denied";
    case 50: return "decode_error";
    case 51: return "decrypt_error";
    case 60: return "export_restriction";
    case 70: return "protocol_version";
    case 71: return "insufficient_security";
    case 80: return "internal_error";
    case 86: return "inappropriate_fallback";
    case 90: return "user_canceled";
    case 100: return "no_renegotiation";
    case 109: return "missing_extension";
    case 110: return "unsupported_extension";
    case 111: return "certificate_unobtainable";
    case 112: return "unrecognized_name";
    case 113: return "bad_certificate_status_response";
    case 114: return "bad_certificate_hash_value";
    case 115: return "unknown_psk_identity";
    case 116: return "certificate_required";
    case 120: return "no_application_protocol";
  }
  return "alert " + d.toString();
}

/** Why a TLS connection failed: the alert we send (or -1 for none) and what the caller sees. */
export class TlsFailure {
  constructor(public alert: i32, public code: ErrorCode, public message: string) {}

  toSocketError(): SocketError { return new SocketError(this.code, this.message); }
}

/** A failure caused by the peer's bytes: we send `alert` and report a protocol error. */
export function protocolFailure(alert: u8, what: string): TlsFailure {
  return new TlsFailure(alert, ErrorCode.TlsProtocolError, what + " (sent alert " + alertName(alert) + ")");
}

/** The peer sent a fatal alert. */
export function receivedAlert(d: i32): TlsFailure {
  let hint = "";
  if (d == ALERT_HANDSHAKE_FAILURE) hint = ": the server found no cipher suite, group or signature scheme in common";
  else if (d == ALERT_PROTOCOL_VERSION) hint = ": the server does not accept the offered TLS versions";
  else if (d == ALERT_CERTIFICATE_REQUIRED) hint = ": the server requires a client certificate";
  else if (d == ALERT_NO_APPLICATION_PROTOCOL) hint = ": the server supports none of the offered ALPN protocols";
  else if (d == ALERT_UNRECOGNIZED_NAME) hint = ": the server does not serve the requested name (SNI)";
  // The alerts that mean "nothing in common" get the codes that say so; every message names the alert.
  let code = ErrorCode.TlsAlert;
  if (d == ALERT_PROTOCOL_VERSION) code = ErrorCode.TlsVersionUnsupported;
  else if (d == ALERT_HANDSHAKE_FAILURE || d == ALERT_INSUFFICIENT_SECURITY) code = ErrorCode.TlsHandshakeFailure;
  return new TlsFailure(-1, code, "the server sent alert " + alertName(d) + " (" + d.toString() + ")" + hint);
}
