// A byte queue in raw (non-GC) memory: bytes [start, end) of a buffer that grows on demand and is
// freed when it empties, so an idle socket holds no buffer at all. Used for the bytes a socket has
// not handed to the host yet (plaintext, or TLS records), and for TLS input.

export class ByteQueue {
  ptr: usize = 0;
  start: i32 = 0;
  end: i32 = 0;
  cap: i32 = 0;

  @inline get length(): i32 { return this.end - this.start; }
  @inline get head(): usize { return this.ptr + <usize>this.start; }

  /** Makes room for n more bytes after the queued ones and returns where they go (commit after). */
  reserve(n: i32): usize {
    if (this.end + n > this.cap) {
      const len = this.end - this.start;
      if (this.start > 0 && len + n <= this.cap) {
        memory.copy(this.ptr, this.ptr + <usize>this.start, <usize>len);
      } else {
        let c = this.cap > 0 ? this.cap : 4096;
        while (c < len + n) c <<= 1;
        const p = heap.alloc(<usize>c);
        if (this.ptr != 0) {
          memory.copy(p, this.ptr + <usize>this.start, <usize>len);
          heap.free(this.ptr);
        }
        this.ptr = p;
        this.cap = c;
      }
      this.start = 0;
      this.end = len;
    }
    return this.ptr + <usize>this.end;
  }

  /** Adds n bytes written at the address reserve() returned. */
  @inline commit(n: i32): void { this.end += n; }

  /** Appends n bytes from src. */
  push(src: usize, n: i32): void {
    if (n <= 0) return;
    memory.copy(this.reserve(n), src, <usize>n);
    this.end += n;
  }

  /** Drops n bytes from the front; frees the buffer when nothing is left. */
  consume(n: i32): void {
    this.start += n;
    if (this.start >= this.end) this.clear();
  }

  /** Drops everything and frees the buffer. (Never key material: no wipe needed.) */
  clear(): void {
    if (this.ptr != 0) {
      heap.free(this.ptr);
      this.ptr = 0;
    }
    this.start = this.end = this.cap = 0;
  }
}
