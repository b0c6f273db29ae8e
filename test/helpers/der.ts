// A tiny DER tree for test surgery on certificates (re-encode a modified element, find length
// bytes for the fuzzer). It trusts its input: feed it valid DER only.

export interface DerNode {
  tag: number;
  /** Offset of the tag byte in the parsed buffer, and of the content. */
  start: number;
  contentStart: number;
  end: number;
  /** Raw content (for primitives; for constructed nodes too, as parsed). */
  content: Uint8Array;
  /** Children when constructed (tag bit 0x20). */
  children?: DerNode[];
}

export function parseDer(buf: Uint8Array, start = 0, end = buf.length): DerNode {
  const tag = buf[start];
  let len = buf[start + 1];
  let hdr = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + 2 + i];
    hdr += n;
  }
  const contentStart = start + hdr;
  const nodeEnd = contentStart + len;
  if (nodeEnd > end) throw new Error('parseDer: overrun');
  const node: DerNode = { tag, start, contentStart, end: nodeEnd, content: buf.subarray(contentStart, nodeEnd) };
  if (tag & 0x20) {
    node.children = [];
    for (let p = contentStart; p < nodeEnd; ) {
      const c = parseDer(buf, p, nodeEnd);
      node.children.push(c);
      p = c.end;
    }
  }
  return node;
}

export function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const b: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) b.unshift(v & 0xff);
  return [0x80 | b.length, ...b];
}

export function tlv(tag: number, content: Uint8Array | number[]): Uint8Array {
  const c = content instanceof Uint8Array ? content : Uint8Array.from(content);
  return Uint8Array.from([tag, ...derLength(c.length), ...c]);
}

/** Re-encodes a node tree (children take precedence over content). */
export function encodeDer(node: DerNode): Uint8Array {
  if (!node.children) return tlv(node.tag, node.content);
  const parts = node.children.map(encodeDer);
  const total = parts.reduce((n, p) => n + p.length, 0);
  const body = new Uint8Array(total);
  let o = 0;
  for (const p of parts) { body.set(p, o); o += p.length; }
  return tlv(node.tag, body);
}

/** A leaf node wrapping raw bytes (already a full TLV) so it re-encodes as is. */
export function rawNode(encoded: Uint8Array): DerNode {
  const n = parseDer(encoded);
  if (n.children) n.children = n.children.map((c) => rawNode(encoded.subarray(c.start, c.end)));
  return n;
}

/** Every node of the tree, depth first. */
export function allNodes(n: DerNode, out: DerNode[] = []): DerNode[] {
  out.push(n);
  for (const c of n.children ?? []) allNodes(c, out);
  return out;
}

/** The tbsCertificate fields of a certificate tree (version, serial, signature, issuer, validity, subject, spki, ...). */
export function tbsFields(cert: DerNode): DerNode[] {
  return cert.children![0].children!;
}

export const concat = (...parts: (Uint8Array | number[])[]): Uint8Array => {
  const arrays = parts.map((p) => (p instanceof Uint8Array ? p : Uint8Array.from(p)));
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let o = 0;
  for (const a of arrays) { out.set(a, o); o += a.length; }
  return out;
};
