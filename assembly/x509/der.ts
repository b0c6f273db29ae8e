// Strict DER reading (X.690 section 10) over a byte range of linear memory.
//
// Every read checks its length against the enclosing element before touching a byte, so a hostile
// certificate can only make a read FAIL, never index outside its buffer (an out-of-bounds access
// would trap the whole component). A failure is sticky and shared: all Readers made from one
// DerCtx see it, every later read returns an empty element, and the parser checks `ctx.failed`
// once where it needs a verdict. The first failure's reason is kept for the error message.
//
// What is rejected: indefinite lengths, non-minimal lengths (long form where the short form fits,
// leading zero length bytes), lengths over 2^24, high tag numbers (not used by X.509), elements
// overrunning their parent, and trailing bytes where an element must end (`expectEnd`).
// Per type: BOOLEAN is one byte 0x00 or 0xFF; INTEGER is non-empty and minimal; NULL is empty;
// BIT STRING has 0..7 unused bits that are zero (and none when empty); OBJECT IDENTIFIER is
// non-empty with minimal sub-identifiers.
//
// Nothing here recurses: nesting is followed by the parser, one Reader per level.

export const TAG_BOOLEAN: i32 = 0x01;
export const TAG_INTEGER: i32 = 0x02;
export const TAG_BIT_STRING: i32 = 0x03;
export const TAG_OCTET_STRING: i32 = 0x04;
export const TAG_NULL: i32 = 0x05;
export const TAG_OID: i32 = 0x06;
export const TAG_UTF8_STRING: i32 = 0x0c;
export const TAG_PRINTABLE_STRING: i32 = 0x13;
export const TAG_T61_STRING: i32 = 0x14;
export const TAG_IA5_STRING: i32 = 0x16;
export const TAG_UTC_TIME: i32 = 0x17;
export const TAG_GENERALIZED_TIME: i32 = 0x18;
export const TAG_UNIVERSAL_STRING: i32 = 0x1c;
export const TAG_BMP_STRING: i32 = 0x1e;
export const TAG_SEQUENCE: i32 = 0x30;
export const TAG_SET: i32 = 0x31;

/** [n] with the constructed bit (EXPLICIT tagging, or IMPLICIT of a constructed type). */
@inline export function ctxCons(n: i32): i32 { return 0xa0 | n; }
/** [n] primitive (IMPLICIT tagging of a primitive type). */
@inline export function ctxPrim(n: i32): i32 { return 0x80 | n; }

/** The shared failure state of one parse. */
export class DerCtx {
  failed: bool = false;
  reason: string = "";
  at: i32 = 0;

  fail(reason: string, at: i32): void {
    if (this.failed) return;
    this.failed = true;
    this.reason = reason;
    this.at = at;
  }

  /** "reason (at byte N)" or "" when nothing failed. */
  message(): string {
    if (!this.failed) return "";
    return this.reason + " (at byte " + this.at.toString() + ")";
  }
}

/** A cursor over the content of one DER element: [pos, end) of the buffer at base. */
export class Reader {
  ctx: DerCtx;
  base: usize;
  /** Offset of this element's tag (for the element's full encoding: [start, end)). */
  start: i32;
  /** The element's tag (0 for a root reader). */
  tag: i32;
  pos: i32;
  end: i32;
  /** For a reader returned by readBitString: the number of unused bits in the last byte. */
  unusedBits: i32 = 0;

  constructor(ctx: DerCtx, base: usize, start: i32, tag: i32, pos: i32, end: i32) {
    this.ctx = ctx;
    this.base = base;
    this.start = start;
    this.tag = tag;
    this.pos = pos;
    this.end = end;
  }

  /** A root reader over len bytes at ptr. */
  static over(ctx: DerCtx, ptr: usize, len: i32): Reader {
    if (len < 0) len = 0;
    return new Reader(ctx, ptr, 0, 0, 0, len);
  }

  get failed(): bool { return this.ctx.failed; }

  /** Bytes left to read in this element. */
  get remaining(): i32 { return this.end - this.pos; }

  /** Pointer to the current position (valid for `remaining` bytes). */
  @inline ptr(): usize { return this.base + <usize>this.pos; }

  /** Marks the parse failed (first reason wins) and empties this reader. */
  fail(reason: string): void {
    this.ctx.fail(reason, this.pos);
    this.pos = this.end;
  }

  atEnd(): bool { return this.ctx.failed || this.pos >= this.end; }

  /** The next element's tag, or -1 at the end (or after a failure). */
  peekTag(): i32 {
    if (this.ctx.failed || this.pos >= this.end) return -1;
    return <i32>load<u8>(this.base + <usize>this.pos);
  }

  /** Byte i of the remaining content (0 and failure when out of range). */
  byteAt(i: i32): i32 {
    if (i < 0 || i >= this.end - this.pos) {
      this.fail("read past the end of an element");
      return 0;
    }
    return <i32>load<u8>(this.base + <usize>(this.pos + i));
  }

  private empty(): Reader {
    return new Reader(this.ctx, this.base, this.end, 0, this.end, this.end);
  }

  /** Reads the next element, whatever its tag. After a failure: an empty reader. */
  readAny(): Reader {
    if (this.ctx.failed) return this.empty();
    if (this.pos >= this.end) { this.fail("missing element"); return this.empty(); }
    const start = this.pos;
    let p = this.pos;
    const tag = <i32>load<u8>(this.base + <usize>p);
    if ((tag & 0x1f) == 0x1f) { this.fail("high-tag-number form is not used by X.509"); return this.empty(); }
    p++;
    if (p >= this.end) { this.fail("truncated length"); return this.empty(); }
    const b0 = <i32>load<u8>(this.base + <usize>p);
    p++;
    let len = 0;
    if (b0 < 0x80) {
      len = b0;
    } else {
      const n = b0 & 0x7f;
      if (n == 0) { this.fail("indefinite length (BER, not DER)"); return this.empty(); }
      if (n > 3) { this.fail("length field too long"); return this.empty(); }
      if (this.end - p < n) { this.fail("truncated length"); return this.empty(); }
      if (load<u8>(this.base + <usize>p) == 0) { this.fail("non-minimal length (leading zero)"); return this.empty(); }
      for (let i = 0; i < n; i++) {
        len = (len << 8) | <i32>load<u8>(this.base + <usize>p);
        p++;
      }
      if (len < 0x80) { this.fail("non-minimal length (long form for a short length)"); return this.empty(); }
    }
    if (len > this.end - p) { this.fail("element longer than what encloses it"); return this.empty(); }
    this.pos = p + len;
    return new Reader(this.ctx, this.base, start, tag, p, p + len);
  }

  /** Reads the next element, which must have this tag. */
  read(tag: i32): Reader {
    const t = this.peekTag();
    if (t != tag) {
      if (!this.ctx.failed) this.fail(t < 0 ? "missing element (tag 0x" + hex2(tag) + ")" : "unexpected tag 0x" + hex2(t) + " (expected 0x" + hex2(tag) + ")");
      return this.empty();
    }
    return this.readAny();
  }

  /** Reads the next element if it has this tag; null otherwise. */
  readOptional(tag: i32): Reader | null {
    if (this.peekTag() != tag) return null;
    return this.readAny();
  }

  /** Fails unless every byte of this element was consumed. */
  expectEnd(what: string): void {
    if (!this.ctx.failed && this.pos != this.end) this.fail("unexpected data after " + what);
  }

  // ---- typed reads ------------------------------------------------------------------------------

  /** BOOLEAN: exactly 0x00 or 0xFF. */
  readBoolean(): bool {
    const r = this.read(TAG_BOOLEAN);
    if (r.failed) return false;
    if (r.remaining != 1) { r.fail("BOOLEAN must be one byte"); return false; }
    const v = r.byteAt(0);
    if (v != 0 && v != 0xff) { r.fail("BOOLEAN must be 0x00 or 0xFF"); return false; }
    return v == 0xff;
  }

  /** NULL with empty content. */
  readNull(): void {
    const r = this.read(TAG_NULL);
    if (!r.failed && r.remaining != 0) r.fail("NULL must be empty");
  }

  /** INTEGER (any size, minimal); returns its content reader (two's complement bytes). */
  readIntegerRaw(): Reader {
    const r = this.read(TAG_INTEGER);
    checkInteger(r);
    return r;
  }

  /** A non-negative INTEGER that fits in 31 bits; -1 on failure. */
  readSmallUint(): i32 {
    const r = this.readIntegerRaw();
    if (r.failed) return -1;
    const n = r.remaining;
    if ((r.byteAt(0) & 0x80) != 0) { r.fail("negative INTEGER"); return -1; }
    if (n > 4 || (n == 4 && r.byteAt(0) >= 0x80)) { r.fail("INTEGER too large"); return -1; }
    let v = 0;
    for (let i = 0; i < n; i++) v = (v << 8) | r.byteAt(i);
    return v;
  }

  /** OBJECT IDENTIFIER: returns its content reader (validated). */
  readOid(): Reader {
    const r = this.read(TAG_OID);
    checkOid(r);
    return r;
  }

  /**
   * BIT STRING: checks the unused-bits byte and returns a reader over the bits (after that byte),
   * with the count in `unusedBits`. requireWhole: the string must have no unused bits (keys, signatures).
   */
  readBitString(requireWhole: bool): Reader {
    const r = this.read(TAG_BIT_STRING);
    if (r.failed) return r;
    if (r.remaining < 1) { r.fail("empty BIT STRING"); return r; }
    const unused = r.byteAt(0);
    if (unused > 7) { r.fail("BIT STRING with more than 7 unused bits"); return r; }
    if (r.remaining == 1 && unused != 0) { r.fail("empty BIT STRING with unused bits"); return r; }
    if (unused != 0) {
      if (requireWhole) { r.fail("BIT STRING must be whole bytes"); return r; }
      const last = r.byteAt(r.remaining - 1);
      if ((last & ((1 << unused) - 1)) != 0) { r.fail("BIT STRING unused bits are not zero"); return r; }
    }
    r.pos++;
    r.unusedBits = unused;
    return r;
  }
}

/** Validates a minimal INTEGER encoding in r's content. */
export function checkInteger(r: Reader): void {
  if (r.failed) return;
  const n = r.remaining;
  if (n == 0) { r.fail("empty INTEGER"); return; }
  if (n > 1) {
    const a = r.byteAt(0);
    const b = r.byteAt(1);
    if ((a == 0 && b < 0x80) || (a == 0xff && b >= 0x80)) r.fail("non-minimal INTEGER");
  }
}

/** Validates OID content: non-empty, minimal base-128 sub-identifiers, complete last one. */
export function checkOid(r: Reader): void {
  if (r.failed) return;
  const n = r.remaining;
  if (n == 0) { r.fail("empty OBJECT IDENTIFIER"); return; }
  let first = true;
  for (let i = 0; i < n; i++) {
    const b = r.byteAt(i);
    if (first && b == 0x80) { r.fail("non-minimal OBJECT IDENTIFIER"); return; }
    first = (b & 0x80) == 0;
  }
  if (!first) r.fail("truncated OBJECT IDENTIFIER");
}

/** True when the remaining content of r equals the len bytes at p. */
export function contentEquals(r: Reader, p: usize, len: i32): bool {
  if (r.failed || r.remaining != len) return false;
  return memory.compare(r.ptr(), p, <usize>len) == 0;
}

/** True when two byte ranges are equal. */
export function bytesEqual(a: usize, aLen: i32, b: usize, bLen: i32): bool {
  return aLen == bLen && (aLen == 0 || memory.compare(a, b, <usize>aLen) == 0);
}

const HEX_DIGITS = "0123456789abcdef";

/** Two lowercase hex digits. */
export function hex2(v: i32): string {
  return HEX_DIGITS.charAt((v >> 4) & 15) + HEX_DIGITS.charAt(v & 15);
}

/** Lowercase hex of len bytes at p (at most maxBytes, then "..."). */
export function hexBytes(p: usize, len: i32, maxBytes: i32): string {
  let s = "";
  const n = min(len, maxBytes);
  for (let i = 0; i < n; i++) s += hex2(<i32>load<u8>(p + <usize>i));
  if (len > n) s += "...";
  return s;
}

/** Dotted form of OID content (len bytes at p), for messages. Invalid content gives "?". */
export function oidToString(p: usize, len: i32): string {
  if (len <= 0 || len > 64) return "?";
  let s = "";
  let v: u64 = 0;
  let first = true;
  for (let i = 0; i < len; i++) {
    const b = <u64>load<u8>(p + <usize>i);
    if (v > (<u64>1 << 56)) return "?";
    v = (v << 7) | (b & 0x7f);
    if ((b & 0x80) == 0) {
      if (first) {
        const a: u64 = v < 40 ? 0 : v < 80 ? 1 : 2;
        s = a.toString() + "." + (v - a * 40).toString();
        first = false;
      } else {
        s += "." + v.toString();
      }
      v = 0;
    }
  }
  return s;
}
