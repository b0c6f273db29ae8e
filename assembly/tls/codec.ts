// Bounds-checked reading and length-prefixed writing of TLS structures (RFC 8446, section 3).
//
// A Reader never reads outside [pos, end): every length is checked before use. A failed check
// sets `ok` to false, after which every read returns 0 / an empty span and nothing advances, so a
// parser can read a whole structure and test `ok` once at the end (plus wherever a value steers
// control flow). Nothing here traps on hostile input.

export class Reader {
  ok: bool = true;
  constructor(public pos: usize, public end: usize) {}

  static of(ptr: usize, len: i32): Reader { return new Reader(ptr, ptr + <usize>len); }

  @inline get left(): i32 { return <i32>(this.end - this.pos); }
  @inline get done(): bool { return this.pos == this.end; }

  /** Marks the reader failed (a value was out of range); returns false for convenience. */
  fail(): bool { this.ok = false; this.pos = this.end; return false; }

  private need(n: i32): bool {
    if (!this.ok || n < 0 || <usize>n > this.end - this.pos) return this.fail();
    return true;
  }

  u8(): i32 {
    if (!this.need(1)) return 0;
    const v = <i32>load<u8>(this.pos);
    this.pos += 1;
    return v;
  }

  u16(): i32 {
    if (!this.need(2)) return 0;
    const v = (<i32>load<u8>(this.pos) << 8) | <i32>load<u8>(this.pos + 1);
    this.pos += 2;
    return v;
  }

  u24(): i32 {
    if (!this.need(3)) return 0;
    const v = (<i32>load<u8>(this.pos) << 16) | (<i32>load<u8>(this.pos + 1) << 8) | <i32>load<u8>(this.pos + 2);
    this.pos += 3;
    return v;
  }

  u32(): u32 {
    if (!this.need(4)) return 0;
    const v = bswap<u32>(load<u32>(this.pos));
    this.pos += 4;
    return v;
  }

  /** Skips n bytes and returns where they start (0 when they are not there). */
  take(n: i32): usize {
    if (!this.need(n)) return 0;
    const p = this.pos;
    this.pos += <usize>n;
    return p;
  }

  /** A sub-reader over a vector with a 1-, 2- or 3-byte length prefix (min/max in bytes). */
  vec(prefix: i32, min: i32, max: i32): Reader {
    const n = prefix == 1 ? this.u8() : prefix == 2 ? this.u16() : this.u24();
    if (this.ok && (n < min || n > max)) this.fail();
    const p = this.take(n);
    const r = new Reader(p, p + <usize>(this.ok ? <usize>n : 0));
    r.ok = this.ok;
    return r;
  }

  /** Copies the next n bytes into a new array (empty when they are not there). */
  bytes(n: i32): Uint8Array {
    const p = this.take(n);
    const out = new Uint8Array(this.ok ? n : 0);
    if (this.ok && n > 0) memory.copy(out.dataStart, p, <usize>n);
    return out;
  }
}

/** A growable byte buffer for building handshake messages, with length prefixes filled in later. */
export class Builder {
  buf: Uint8Array;
  len: i32 = 0;
  constructor(cap: i32 = 512) { this.buf = new Uint8Array(cap); }

  private room(n: i32): usize {
    if (this.len + n > this.buf.length) {
      let c = this.buf.length * 2;
      while (c < this.len + n) c *= 2;
      const b = new Uint8Array(c);
      memory.copy(b.dataStart, this.buf.dataStart, <usize>this.len);
      this.buf = b;
    }
    return this.buf.dataStart + <usize>this.len;
  }

  u8(v: i32): void { store<u8>(this.room(1), <u8>v); this.len += 1; }
  u16(v: i32): void { const p = this.room(2); store<u8>(p, <u8>(v >> 8)); store<u8>(p + 1, <u8>v); this.len += 2; }
  u24(v: i32): void { const p = this.room(3); store<u8>(p, <u8>(v >> 16)); store<u8>(p + 1, <u8>(v >> 8)); store<u8>(p + 2, <u8>v); this.len += 3; }
  u32(v: u32): void { store<u32>(this.room(4), bswap<u32>(v)); this.len += 4; }
  raw(p: usize, n: i32): void { if (n > 0) { memory.copy(this.room(n), p, <usize>n); this.len += n; } }
  array(a: Uint8Array): void { this.raw(a.dataStart, a.length); }

  /** Starts a vector with an n-byte length prefix; returns the mark for end(). */
  begin(prefix: i32): i32 {
    const at = this.len;
    this.room(prefix);
    this.len += prefix;
    return (at << 2) | prefix;
  }

  /** Fills in the length prefix of the vector begun at mark. */
  end(mark: i32): void {
    const at = mark >> 2;
    const prefix = mark & 3;
    const n = this.len - at - prefix;
    const p = this.buf.dataStart + <usize>at;
    if (prefix == 1) store<u8>(p, <u8>n);
    else if (prefix == 2) { store<u8>(p, <u8>(n >> 8)); store<u8>(p + 1, <u8>n); }
    else { store<u8>(p, <u8>(n >> 16)); store<u8>(p + 1, <u8>(n >> 8)); store<u8>(p + 2, <u8>n); }
  }

  @inline get ptr(): usize { return this.buf.dataStart; }

  /** The bytes written so far, as a new exact-size array. */
  toArray(): Uint8Array {
    const out = new Uint8Array(this.len);
    memory.copy(out.dataStart, this.buf.dataStart, <usize>this.len);
    return out;
  }
}
