// Ephemeral (EC)DHE key shares: X25519 (RFC 7748), secp256r1 and secp384r1 (uncompressed points,
// RFC 8446 4.2.8.2). The private key is wiped as soon as the shared secret is computed.

import { x25519, x25519Base, isAllZero32 } from "../crypto/x25519";
import { ecdh, ecKeygenPublic } from "../crypto/ec/ecdh";
import { CURVE_P256, CURVE_P384 } from "../crypto/ec/field";
import { secureRandom } from "../crypto/random";
import { wipe } from "../crypto/ct";

export const GROUP_X25519: u16 = 0x001d;
export const GROUP_SECP256R1: u16 = 0x0017;
export const GROUP_SECP384R1: u16 = 0x0018;

/** Groups offered in supported_groups, in preference order. */
export const GROUPS: u16[] = [GROUP_X25519, GROUP_SECP256R1, GROUP_SECP384R1];

export function groupName(g: i32): string {
  if (g == GROUP_X25519) return "x25519";
  if (g == GROUP_SECP256R1) return "secp256r1";
  if (g == GROUP_SECP384R1) return "secp384r1";
  return "group 0x" + g.toString(16);
}

export function groupSupported(g: i32): bool {
  return g == GROUP_X25519 || g == GROUP_SECP256R1 || g == GROUP_SECP384R1;
}

/** Test hook: when set, the next key share uses these private-key bytes (RFC 8448 replays). */
export let fixedPrivateKey: Uint8Array | null = null;
export function setFixedPrivateKey(k: Uint8Array | null): void { fixedPrivateKey = k; }

export class KeyShare {
  group: u16;
  priv: StaticArray<u8> = new StaticArray<u8>(48);
  pub: Uint8Array = new Uint8Array(0);

  constructor(group: u16) {
    this.group = group;
    const priv = changetype<usize>(this.priv);
    const fixed = fixedPrivateKey;
    if (group == GROUP_X25519) {
      this.pub = new Uint8Array(32);
      if (fixed != null) { memory.copy(priv, fixed.dataStart, 32); fixedPrivateKey = null; }
      else secureRandom(priv, 32);
      x25519Base(this.pub.dataStart, priv);
    } else {
      const curve = group == GROUP_SECP256R1 ? CURVE_P256 : CURVE_P384;
      const L = curve == CURVE_P256 ? 32 : 48;
      this.pub = new Uint8Array(1 + 2 * L);
      if (fixed != null) {
        memory.copy(priv, fixed.dataStart, <usize>L);
        fixedPrivateKey = null;
        if (ecKeygenPublic(curve, priv, this.pub.dataStart) < 0) unreachable();
      } else {
        // a uniformly random scalar in [1, n - 1]: retry the (astronomically rare) out-of-range draws
        do secureRandom(priv, L); while (ecKeygenPublic(curve, priv, this.pub.dataStart) < 0);
      }
    }
  }

  /** The shared secret with the peer's share into out (32 or 48 bytes): its length, or -1 when the peer's share is invalid. */
  agree(peer: usize, peerLen: i32, out: usize): i32 {
    const priv = changetype<usize>(this.priv);
    let n = -1;
    if (this.group == GROUP_X25519) {
      if (peerLen == 32) {
        x25519(out, priv, peer);
        n = isAllZero32(out) ? -1 : 32; // a low-order point gives the all-zero secret (RFC 7748 6.1)
      }
    } else {
      const curve = this.group == GROUP_SECP256R1 ? CURVE_P256 : CURVE_P384;
      n = ecdh(curve, priv, curve == CURVE_P256 ? 32 : 48, peer, peerLen, out);
    }
    this.wipe();
    return n;
  }

  wipe(): void { wipe(changetype<usize>(this.priv), 48); }
}
