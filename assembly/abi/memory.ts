// Canonical-ABI memory glue: the allocator the host uses to pass lists and strings in, and the
// helpers that move AssemblyScript strings across the boundary (UTF-16, as embedded by the build).
//
// Memory handed across the boundary comes from the raw TLSF allocator (heap.alloc/heap.free), not
// from the garbage-collected heap: the host may hold a pointer between our return and the
// post-return call, and the collector must neither move nor free it.

/** cabi_realloc: the host's allocator for arguments and import results. */
export function cabiRealloc(oldPtr: usize, oldSize: usize, align: usize, newSize: usize): usize {
  // TLSF blocks are 16-byte aligned, which covers every canonical-ABI alignment (<= 8).
  if (newSize == 0) {
    if (oldPtr != 0) heap.free(oldPtr);
    return align; // any non-null, suitably aligned pointer; never dereferenced
  }
  if (oldPtr == 0) return heap.alloc(newSize);
  return heap.realloc(oldPtr, newSize);
}

/** Frees a buffer the host allocated for us (lists and strings in import results and arguments). */
@inline export function abiFree(ptr: usize, size: usize): void {
  if (ptr != 0 && size != 0) heap.free(ptr);
}

/** Reads a UTF-16 string the host passed as (ptr, code units) and frees its buffer. */
export function liftStringAndFree(ptr: usize, len: i32): string {
  const s = String.UTF16.decodeUnsafe(ptr, <usize>len << 1);
  abiFree(ptr, <usize>len << 1);
  return s;
}

/** Copies a string into a fresh raw allocation; returns the pointer (length is s.length code units). */
export function lowerString(s: string): usize {
  const bytes = <usize>s.length << 1;
  if (bytes == 0) return 2; // aligned, never dereferenced, never freed
  const p = heap.alloc(bytes);
  memory.copy(p, changetype<usize>(s), bytes);
  return p;
}

/** Frees a string lowered by lowerString. */
@inline export function freeLoweredString(ptr: usize, len: i32): void {
  if (len != 0) heap.free(ptr);
}

/** Scratch space for import results (return pointers). One call at a time; read before the next. */
export const IMPORT_RET: usize = memory.data(64, 8);
/** Return area for export results, read by the host before it calls the post-return function. */
export const EXPORT_RET: usize = memory.data(64, 8);
