// What a caller asked of one TLS connection (the WIT `tls-options`), already lifted out of the
// canonical ABI. Validation of values that need parsing (the `ca` certificates) happens when the
// connection's trust store is built, so a bad value fails `connect` synchronously.

export const TLS12: u16 = 0x0303;
export const TLS13: u16 = 0x0304;

// tls-flags bits (WIT declaration order)
export const FLAG_NO_VERIFY: u32 = 1;
export const FLAG_NO_RESUMPTION: u32 = 2;
export const FLAG_KEYLOG: u32 = 4;

export class TlsConfig {
  /** The name to send as SNI and to verify; null: the hostname given to connect. */
  serverName: string | null = null;
  /** ALPN protocols, UTF-8, most preferred first. */
  alpn: Array<Uint8Array> = [];
  /** Caller-supplied trust: PEM text or DER blobs; empty means the built-in anchors. */
  ca: Array<Uint8Array> = [];
  flags: u32 = 0;
  minVersion: u16 = TLS12;
  maxVersion: u16 = TLS13;

  get verify(): bool { return (this.flags & FLAG_NO_VERIFY) == 0; }
  get resumption(): bool { return (this.flags & FLAG_NO_RESUMPTION) == 0; }
  get keylog(): bool { return (this.flags & FLAG_KEYLOG) != 0; }
}
