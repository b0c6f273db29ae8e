// TLS 1.3 session tickets (RFC 8446 4.6.1, 2.2): a bounded per-instance cache, keyed by what must
// match for a resumption to be safe: host, port, SNI, offered ALPN and the trust settings
// (built-in anchors or a caller's `ca`, verification on or off). A ticket is taken out when it is
// offered (used once), is never offered after its lifetime (at most 7 days), and carries what the
// original handshake authenticated, so a resumed connection reports the same chain.

import { wipe } from "../crypto/ct";

export const MAX_TICKETS: i32 = 256;
export const MAX_TICKETS_PER_KEY: i32 = 4;

export class Ticket {
  key: string = "";
  ticket: Uint8Array = new Uint8Array(0);
  psk: Uint8Array = new Uint8Array(0);
  hash: i32 = 0;
  ageAdd: u32 = 0;
  receivedMs: i64 = 0;
  lifetimeMs: i64 = 0;
  peerCerts: Array<Uint8Array> = [];
  subjects: Array<string> = [];
  verified: bool = false;

  wipe(): void { wipe(this.psk.dataStart, this.psk.length); }
}

const cache = new Array<Ticket>();

/** Stores a ticket; the oldest ones go when the cache or this key's share of it is full. */
export function storeTicket(t: Ticket): void {
  let forKey = 0;
  for (let i = cache.length - 1; i >= 0; i--) {
    if (cache[i].key != t.key) continue;
    if (++forKey >= MAX_TICKETS_PER_KEY) {
      cache[i].wipe();
      cache.splice(i, 1);
    }
  }
  if (cache.length >= MAX_TICKETS) {
    cache[0].wipe();
    cache.shift();
  }
  cache.push(t);
}

/** Takes the newest unexpired ticket for this key out of the cache (expired ones are dropped). */
export function takeTicket(key: string, nowMs: i64): Ticket | null {
  let found: Ticket | null = null;
  for (let i = cache.length - 1; i >= 0; i--) {
    const t = cache[i];
    if (nowMs - t.receivedMs >= t.lifetimeMs || nowMs < t.receivedMs) {
      t.wipe();
      cache.splice(i, 1);
      continue;
    }
    if (found == null && t.key == key) {
      found = t;
      cache.splice(i, 1);
    }
  }
  return found;
}

/** How many tickets the cache holds (for tests). */
export function ticketCount(): i32 { return cache.length; }

/** Forgets every ticket. */
export function clearTickets(): void {
  for (let i = 0; i < cache.length; i++) cache[i].wipe();
  cache.length = 0;
}
