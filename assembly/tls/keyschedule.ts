// The TLS 1.3 key schedule (RFC 8446, 7.1), in phases: a KeySchedule13 starts at the early
// secret, moves to the handshake secret (with the ECDHE shared secret) and then to the master
// secret; each phase's traffic secrets are derived from the transcript hash at that point.
// Every secret lives in fixed buffers owned by the object and is wiped when replaced or done.

import { hashLen, hashInto } from "../crypto/sha2";
import { hkdfExtract, hkdfExpandLabel } from "../crypto/hkdf";
import { hmacInto } from "../crypto/hmac";
import { wipe } from "../crypto/ct";

// Labels (RFC 8446 7.1), UTF-8.
export const L_DERIVED = String.UTF8.encode("derived");
export const L_EXT_BINDER = String.UTF8.encode("ext binder");
export const L_RES_BINDER = String.UTF8.encode("res binder");
export const L_C_HS = String.UTF8.encode("c hs traffic");
export const L_S_HS = String.UTF8.encode("s hs traffic");
export const L_C_AP = String.UTF8.encode("c ap traffic");
export const L_S_AP = String.UTF8.encode("s ap traffic");
export const L_EXP_MASTER = String.UTF8.encode("exp master");
export const L_RES_MASTER = String.UTF8.encode("res master");
export const L_KEY = String.UTF8.encode("key");
export const L_IV = String.UTF8.encode("iv");
export const L_FINISHED = String.UTF8.encode("finished");
export const L_TRAFFIC_UPD = String.UTF8.encode("traffic upd");
export const L_RESUMPTION = String.UTF8.encode("resumption");

@inline function lp(l: ArrayBuffer): usize { return changetype<usize>(l); }

const ZEROS: usize = memory.data(64);
const EMPTY_HASH: usize = memory.data(64);
const TMP: usize = memory.data(64);

/** HKDF-Expand-Label(secret, label, ctx, len) with the suite's hash. */
export function expandLabel(hash: i32, secret: usize, label: ArrayBuffer, ctx: usize, ctxLen: i32, out: usize, len: i32): void {
  hkdfExpandLabel(hash, secret, hashLen(hash), lp(label), label.byteLength, ctx, ctxLen, out, len);
}

export const PHASE_EARLY: i32 = 0;
export const PHASE_HANDSHAKE: i32 = 1;
export const PHASE_MASTER: i32 = 2;

export class KeySchedule13 {
  readonly hash: i32;
  readonly hl: i32;
  phase: i32 = PHASE_EARLY;
  private secret: StaticArray<u8> = new StaticArray<u8>(64);

  /** The early secret: HKDF-Extract(0, PSK), with an all-zero PSK when there is none (pskLen 0). */
  constructor(hash: i32, psk: usize, pskLen: i32) {
    this.hash = hash;
    this.hl = hashLen(hash);
    if (pskLen == 0) { psk = ZEROS; pskLen = this.hl; }
    hkdfExtract(hash, ZEROS, this.hl, psk, pskLen, changetype<usize>(this.secret));
  }

  @inline get secretPtr(): usize { return changetype<usize>(this.secret); }

  /** Derive-Secret(current, label, messages) where th is Transcript-Hash(messages). */
  derive(label: ArrayBuffer, th: usize, out: usize): void {
    expandLabel(this.hash, this.secretPtr, label, th, this.hl, out, this.hl);
  }

  /** Moves to the next phase: HKDF-Extract(Derive-Secret(current, "derived", ""), ikm). */
  private next(ikm: usize, ikmLen: i32): void {
    hashInto(this.hash, 0, 0, EMPTY_HASH);
    this.derive(L_DERIVED, EMPTY_HASH, TMP);
    hkdfExtract(this.hash, TMP, this.hl, ikm, ikmLen, this.secretPtr);
    wipe(TMP, 64);
    this.phase++;
  }

  /** Early -> handshake secret, with the (EC)DHE shared secret. */
  toHandshake(shared: usize, sharedLen: i32): void {
    assert(this.phase == PHASE_EARLY);
    this.next(shared, sharedLen);
  }

  /** Handshake -> master secret. */
  toMaster(): void {
    assert(this.phase == PHASE_HANDSHAKE);
    this.next(ZEROS, this.hl);
  }

  wipe(): void { wipe(this.secretPtr, 64); }
}

/** The record key and IV of a traffic secret (RFC 8446 7.3). */
export function trafficKeys(hash: i32, secret: usize, keyLen: i32, keyOut: usize, ivOut: usize): void {
  expandLabel(hash, secret, L_KEY, 0, 0, keyOut, keyLen);
  expandLabel(hash, secret, L_IV, 0, 0, ivOut, 12);
}

/** verify_data = HMAC(finished_key, transcript hash) with finished_key from base (RFC 8446 4.4.4). */
export function finishedVerifyData(hash: i32, base: usize, th: usize, out: usize): void {
  const hl = hashLen(hash);
  expandLabel(hash, base, L_FINISHED, 0, 0, TMP, hl);
  hmacInto(hash, TMP, hl, th, hl, out);
  wipe(TMP, 64);
}

/** application_traffic_secret_N+1 = HKDF-Expand-Label(secret_N, "traffic upd", "", Hash.length), in place. */
export function nextTrafficSecret(hash: i32, secret: usize): void {
  const hl = hashLen(hash);
  expandLabel(hash, secret, L_TRAFFIC_UPD, 0, 0, TMP, hl);
  memory.copy(secret, TMP, <usize>hl);
  wipe(TMP, 64);
}
