// The verdict of a chain verification.
import { PublicKey } from "./pubkey";

export const enum CertStatus {
  Ok = 0,
  Untrusted = 1,
  Expired = 2,
  NotYetValid = 3,
  HostnameMismatch = 4,
  Invalid = 5,
}

export class ChainResult {
  status: CertStatus = CertStatus.Invalid;
  /** Precise, and names the certificate involved, e.g. "certificate 'CN=www.example.test' expired at 2024-01-01T00:00:00Z ...". */
  message: string = "";
  /** The leaf's key whenever the leaf parsed (even when status != Ok); null for an unsupported key. */
  leafKey: PublicKey | null = null;
  /**
   * RFC 4514 subjects: the verified path, leaf first, ending with the anchor, when a path was found
   * (Ok, HostnameMismatch, and the leaf's own Expired / NotYetValid); just the leaf otherwise.
   */
  subjects: Array<string> = new Array<string>();
}
