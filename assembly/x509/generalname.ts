// GeneralName (RFC 5280 4.2.1.6) validation and iteration, and the structure of NameConstraints
// (4.2.1.10). The matching itself is in hostname.ts (reference identity) and constraints.ts.
//
//   GeneralName ::= CHOICE {
//     otherName [0] (constructed), rfc822Name [1] IA5String, dNSName [2] IA5String,
//     x400Address [3], directoryName [4] Name (EXPLICIT: constructed), ediPartyName [5],
//     uniformResourceIdentifier [6] IA5String, iPAddress [7] OCTET STRING, registeredID [8] OID }
import { Reader, TAG_SEQUENCE, checkOid, ctxCons } from "./der";
import { checkName } from "./name";

export const GN_OTHER: i32 = 0xa0;
export const GN_RFC822: i32 = 0x81;
export const GN_DNS: i32 = 0x82;
export const GN_X400: i32 = 0xa3;
export const GN_DIRECTORY: i32 = 0xa4;
export const GN_EDI: i32 = 0xa5;
export const GN_URI: i32 = 0x86;
export const GN_IP: i32 = 0x87;
export const GN_REGISTERED_ID: i32 = 0x88;

/** "DNS", "IP", ... for messages. */
export function generalNameKind(tag: i32): string {
  if (tag == GN_DNS) return "DNS";
  if (tag == GN_IP) return "IP";
  if (tag == GN_DIRECTORY) return "DirName";
  if (tag == GN_RFC822) return "email";
  if (tag == GN_URI) return "URI";
  if (tag == GN_OTHER) return "otherName";
  if (tag == GN_X400) return "x400Address";
  if (tag == GN_EDI) return "ediPartyName";
  return "registeredID";
}

function checkIa5(r: Reader): void {
  for (let i = 0; i < r.remaining; i++) {
    if (r.byteAt(i) >= 0x80) { r.fail("non-ASCII byte in an IA5String name"); return; }
  }
}

/** True when the len-byte mask at p is some ones followed by zeros only. */
function contiguousMask(p: usize, len: i32): bool {
  let zeros = false;
  for (let i = 0; i < len; i++) {
    const b = <i32>load<u8>(p + <usize>i);
    for (let j = 7; j >= 0; j--) {
      const one = ((b >> j) & 1) != 0;
      if (one && zeros) return false;
      if (!one) zeros = true;
    }
  }
  return true;
}

/**
 * Reads one GeneralName from r and checks it. inConstraint: it is the base of a GeneralSubtree
 * (iPAddress is then address + mask: 8 or 32 bytes with a contiguous mask; otherwise 4 or 16).
 * Returns the name's content reader (its tag in .tag).
 */
export function checkGeneralName(r: Reader, inConstraint: bool): Reader {
  const g = r.readAny();
  if (g.failed) return g;
  const tag = g.tag;
  const at = g.pos;
  if (tag == GN_DNS || tag == GN_RFC822 || tag == GN_URI) {
    checkIa5(g);
  } else if (tag == GN_IP) {
    const n = g.remaining;
    if (inConstraint) {
      if (n != 8 && n != 32) g.fail("iPAddress constraint must be 8 or 32 bytes");
      else if (!contiguousMask(g.ptr() + <usize>(n / 2), n / 2)) g.fail("iPAddress constraint mask is not contiguous");
    } else if (n != 4 && n != 16) {
      g.fail("iPAddress must be 4 or 16 bytes");
    }
  } else if (tag == GN_DIRECTORY) {
    const name = g.read(TAG_SEQUENCE);
    g.expectEnd("directoryName");
    checkName(name);
  } else if (tag == GN_OTHER) {
    g.readOid();
    g.read(ctxCons(0));
    g.expectEnd("otherName");
  } else if (tag == GN_REGISTERED_ID) {
    checkOid(g);
  } else if (tag == GN_X400 || tag == GN_EDI) {
    // not interpreted
  } else {
    g.fail("unknown GeneralName tag");
  }
  g.pos = at; // hand back the whole content
  return g;
}

/**
 * Checks the NameConstraints SEQUENCE in nc (its reader):
 *   NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL,
 *                                  excludedSubtrees [1] GeneralSubtrees OPTIONAL }
 *   GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] DEFAULT 0, maximum [1] OPTIONAL }
 * At least one list, each non-empty; minimum and maximum must be absent (RFC 5280: minimum is
 * always zero, maximum never present).
 */
export function checkNameConstraints(nc: Reader): void {
  const permitted = nc.readOptional(ctxCons(0));
  const excluded = nc.readOptional(ctxCons(1));
  nc.expectEnd("nameConstraints");
  if (nc.failed) return;
  if (permitted == null && excluded == null) { nc.fail("empty nameConstraints"); return; }
  for (let k = 0; k < 2; k++) {
    const list = k == 0 ? permitted : excluded;
    if (list == null) continue;
    if (list.atEnd()) { list.fail("empty GeneralSubtrees"); return; }
    while (!list.atEnd()) {
      const st = list.read(TAG_SEQUENCE);
      checkGeneralName(st, true);
      if (!st.atEnd()) st.fail("GeneralSubtree minimum/maximum are not allowed (RFC 5280 4.2.1.10)");
    }
  }
}

/** Iterates the GeneralNames of a validated list (content range [pos, end) of the SEQUENCE). */
export class GeneralNames {
  r: Reader;
  tag: i32 = 0;
  ptr: usize = 0;
  len: i32 = 0;

  constructor(r: Reader) { this.r = r; }

  /** Advances to the next name (tag, ptr, len); false at the end. */
  next(): bool {
    if (this.r.atEnd()) return false;
    const g = this.r.readAny();
    if (g.failed) return false;
    this.tag = g.tag;
    this.ptr = g.ptr();
    this.len = g.remaining;
    return true;
  }
}

/**
 * Iterates the subtrees of one list of a validated NameConstraints: each base GeneralName's tag
 * and content. which: 0 = permitted, 1 = excluded.
 */
export class Subtrees {
  r: Reader | null;
  tag: i32 = 0;
  ptr: usize = 0;
  len: i32 = 0;

  constructor(nc: Reader, which: i32) {
    const seq = nc.read(TAG_SEQUENCE);
    const p = seq.readOptional(ctxCons(0));
    this.r = which == 0 ? p : seq.readOptional(ctxCons(1));
  }

  next(): bool {
    const r = this.r;
    if (r == null || r.atEnd()) return false;
    const st = r.read(TAG_SEQUENCE);
    const g = st.readAny();
    if (g.failed) return false;
    this.tag = g.tag;
    this.ptr = g.ptr();
    this.len = g.remaining;
    return true;
  }
}
