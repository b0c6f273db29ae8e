// The compiled-in trust anchors: Mozilla's root set as shipped by the Node that ran the build
// (build/gen-anchors.mjs writes dist/gen/x509-anchors.ts; see docs/X509.md for refreshing).
// They are decoded into the shared store on first use, and addTrustAnchors adds more to it
// (the NODE_EXTRA_CA_CERTS behaviour) for every later connection.
import { ANCHOR_DATA, ANCHOR_BYTES, ANCHOR_COUNT } from "../../dist/gen/x509-anchors";
import { TrustStore, setLastX509Error } from "./store";

let builtin: TrustStore | null = null;

/** Big-endian u16 at offset i of the blob; -1 when it would read past the end. */
function u16At(i: i32): i32 {
  if (i < 0 || i + 2 > ANCHOR_BYTES) return -1;
  return (<i32>load<u8>(ANCHOR_DATA + <usize>i) << 8) | <i32>load<u8>(ANCHOR_DATA + <usize>(i + 1));
}

/** Decodes the generated blob into a store. A malformed blob is a build defect: it traps. */
function decodeBuiltin(): TrustStore {
  const s = new TrustStore();
  // "XA1" u16 count, then (u16 len, bytes) x 3 per anchor: subject, spki, nameConstraints
  assert(ANCHOR_BYTES >= 5 && load<u8>(ANCHOR_DATA) == 0x58 && load<u8>(ANCHOR_DATA + 1) == 0x41 && load<u8>(ANCHOR_DATA + 2) == 0x31, "anchor blob: bad magic");
  const count = u16At(3);
  assert(count == ANCHOR_COUNT, "anchor blob: count mismatch");
  let pos = 5;
  for (let i = 0; i < count; i++) {
    const sLen = u16At(pos);
    const sPos = pos + 2;
    const kLen = u16At(sPos + sLen);
    const kPos = sPos + sLen + 2;
    const nLen = u16At(kPos + kLen);
    const nPos = kPos + kLen + 2;
    assert(sLen >= 0 && kLen >= 0 && nLen >= 0 && nPos + nLen <= ANCHOR_BYTES, "anchor blob: truncated");
    const why = s.addParts(ANCHOR_DATA + <usize>sPos, sLen, ANCHOR_DATA + <usize>kPos, kLen, ANCHOR_DATA + <usize>nPos, nLen);
    assert(why.length == 0, "anchor blob: bad anchor");
    pos = nPos + nLen;
  }
  assert(pos == ANCHOR_BYTES, "anchor blob: trailing bytes");
  return s;
}

/** The compiled-in anchors plus any added with addTrustAnchors (one shared instance). */
export function builtinTrustStore(): TrustStore {
  let s = builtin;
  if (s == null) {
    s = decodeBuiltin();
    builtin = s;
  }
  return s;
}

/**
 * Adds anchors to the built-in store for every later connection (NODE_EXTRA_CA_CERTS). blob: PEM
 * text with CERTIFICATE blocks or one DER certificate. Returns how many certificates it held, or
 * -1 with lastX509Error set (and nothing added).
 */
export function addTrustAnchors(blob: Uint8Array): i32 {
  const n = builtinTrustStore().addBlob(blob, "extra trust anchors");
  if (n >= 0) setLastX509Error("");
  return n;
}

/** How many anchors were compiled in. */
export function builtinAnchorCount(): i32 {
  return ANCHOR_COUNT;
}
