// Name constraints (RFC 5280 4.2.1.10) applied to a certificate below the constraining one.
//
// The names of a certificate are its subjectAltName entries, its subject (a directoryName, when
// not empty) and any emailAddress attributes in its subject (rfc822Name, as 4.2.1.10 requires).
// The subject CN is NOT treated as a DNS name: this verifier never matches the host against it.
//
// Implemented forms: dNSName, iPAddress and directoryName. For each such name: when the permitted
// subtrees hold at least one base of the name's form, the name must lie within one of them; it
// must lie within none of the excluded bases of its form.
// Forms not implemented (rfc822Name, URI, otherName, x400Address, ediPartyName, registeredID):
// a constraint of such a form is only relevant to names of the same form, so a certificate is
// refused exactly when it carries a name of a form that some constraint also uses. That is as
// safe as refusing every such constraint, and it keeps real CAs that constrain e-mail addresses
// usable for TLS servers.
//
// DNS matching (case-insensitive): a base "example.com" covers example.com and every name under
// it, ".example.com" only names strictly under it, "" everything. A presented wildcard
// "*.rest" stands for every "<label>.rest": it is permitted when all of those are, and excluded
// when any of them is. A malformed dNSName, when DNS constraints apply, fails the check.
// Every subtree visited for a name is charged to the caller's budget (webpki's 250,000 limit).
import { Reader, DerCtx, TAG_SEQUENCE } from "./der";
import { Certificate } from "./cert";
import { GeneralNames, Subtrees, GN_DNS, GN_IP, GN_DIRECTORY, GN_RFC822, generalNameKind } from "./generalname";
import { dnsShape, DNS_PLAIN, DNS_WILDCARD, asciiEqualNoCase, firstDot, generalNameToString } from "./hostname";
import { nameWithin, countEmailAttributes } from "./name";

/** Counts name-constraint comparisons (webpki's limit: 250,000). */
export class NcBudget {
  used: i32 = 0;
  limit: i32 = 250000;
}

/** suffixMatch: x == b, or x ends with "." + b (case-insensitive). */
function underOrEqual(x: usize, xLen: i32, b: usize, bLen: i32): bool {
  if (bLen == 0) return true;
  if (xLen == bLen) return asciiEqualNoCase(x, b, bLen);
  if (xLen > bLen) return load<u8>(x + <usize>(xLen - bLen - 1)) == 0x2e && asciiEqualNoCase(x + <usize>(xLen - bLen), b, bLen);
  return false;
}

/** x strictly under b. */
function strictlyUnder(x: usize, xLen: i32, b: usize, bLen: i32): bool {
  if (bLen == 0) return xLen > 0;
  return xLen > bLen && underOrEqual(x, xLen, b, bLen);
}

/**
 * Relation of a presented DNS name (n, nLen; validated shape) to a dNSName base (c, cLen).
 * wantAll: true -> are ALL names the presented one stands for within the subtree (permitted)?
 *          false -> is ANY of them within it (excluded)?
 */
function dnsInSubtree(n: usize, nLen: i32, shape: i32, c: usize, cLen: i32, wantAll: bool): bool {
  if (cLen == 0) return true;
  const leadingDot = load<u8>(c) == 0x2e;
  const base = leadingDot ? c + 1 : c;
  const baseLen = leadingDot ? cLen - 1 : cLen;
  if (shape == DNS_PLAIN) {
    return leadingDot ? strictlyUnder(n, nLen, base, baseLen) : underOrEqual(n, nLen, base, baseLen);
  }
  // "*.rest": names "<label>.rest"; each is strictly under base iff rest is base or under it
  const rest = n + 2;
  const restLen = nLen - 2;
  if (underOrEqual(rest, restLen, base, baseLen)) return true;
  if (wantAll || leadingDot) return false;
  // excluded "base" (no dot): some "<label>.rest" equals base exactly when base = label + "." + rest
  if (baseLen <= restLen + 1) return false;
  const labelLen = baseLen - restLen - 1;
  return firstDot(base, baseLen) == labelLen && load<u8>(base) != 0x2a && asciiEqualNoCase(base + <usize>(labelLen + 1), rest, restLen);
}

function ipInSubtree(ip: usize, ipLen: i32, c: usize, cLen: i32): bool {
  if (cLen != 2 * ipLen) return false; // IPv4 names are only constrained by IPv4 bases, and so on
  for (let i = 0; i < ipLen; i++) {
    const m = <i32>load<u8>(c + <usize>(ipLen + i));
    if ((<i32>load<u8>(ip + <usize>i) & m) != (<i32>load<u8>(c + <usize>i) & m)) return false;
  }
  return true;
}

/** Is the name (tag, p, len) in the subtree of the base (same tag, c, cLen)? See dnsInSubtree for wantAll. */
function inSubtree(tag: i32, p: usize, len: i32, shape: i32, c: usize, cLen: i32, wantAll: bool): bool {
  if (tag == GN_DNS) return dnsInSubtree(p, len, shape, c, cLen, wantAll);
  if (tag == GN_IP) return ipInSubtree(p, len, c, cLen);
  // directoryName: both contents are a whole Name encoding
  return nameWithin(p, len, c, cLen);
}

/** The constraint-checking state for one constraining certificate's NameConstraints. */
class Check {
  ncBase: usize;
  ncStart: i32;
  ncLen: i32;
  constrainer: string;
  budget: NcBudget;
  /** "" while fine, else the failure message. */
  error: string = "";
  /** Budget exhausted. */
  exhausted: bool = false;
  /** Bit (tag & 0x1f) set for every GeneralName form some base (permitted or excluded) uses. */
  forms: i32 = 0;

  constructor(ncBase: usize, ncStart: i32, ncLen: i32, constrainer: string, budget: NcBudget) {
    this.ncBase = ncBase;
    this.ncStart = ncStart;
    this.ncLen = ncLen;
    this.constrainer = constrainer;
    this.budget = budget;
    for (let which = 0; which < 2; which++) {
      const it = this.subtrees(which);
      while (it.next()) this.forms |= 1 << (it.tag & 0x1f);
    }
  }

  subtrees(which: i32): Subtrees {
    return new Subtrees(Reader.over(new DerCtx(), this.ncBase + <usize>this.ncStart, this.ncLen), which);
  }

  /** Does any base of this form appear in either list? */
  usesForm(tag: i32): bool {
    return (this.forms & (1 << (tag & 0x1f))) != 0;
  }

  charge(): bool {
    if (++this.budget.used > this.budget.limit) {
      this.exhausted = true;
      if (this.error.length == 0) this.error = "name-constraint checking exceeded its budget of " + this.budget.limit.toString() + " comparisons";
      return false;
    }
    return true;
  }

  /** Checks one name of certificate `who`; returns false (with error set) on a violation. */
  name(tag: i32, p: usize, len: i32, who: string): bool {
    if (tag != GN_DNS && tag != GN_IP && tag != GN_DIRECTORY) {
      if (!this.charge()) return false;
      if (this.usesForm(tag)) {
        this.error = "certificate '" + who + "' has a " + generalNameKind(tag) + " name, and the name constraints of '" +
          this.constrainer + "' restrict that form, which this verifier does not implement";
        return false;
      }
      return true;
    }
    let shape = DNS_PLAIN;
    if (tag == GN_DNS) {
      shape = dnsShape(p, len);
      if (shape != DNS_PLAIN && shape != DNS_WILDCARD) {
        if (!this.usesForm(GN_DNS)) return true;
        this.error = "certificate '" + who + "' has a malformed DNS name '" + generalNameToString(tag, p, len) +
          "' that the name constraints of '" + this.constrainer + "' cannot be applied to";
        return false;
      }
    }
    // permitted
    let sawForm = false;
    let permitted = false;
    const pit = this.subtrees(0);
    while (pit.next()) {
      if (!this.charge()) return false; // every subtree visited is charged, of any form
      if (pit.tag != tag) continue;
      sawForm = true;
      if (inSubtree(tag, p, len, shape, pit.ptr, pit.len, true)) { permitted = true; break; }
    }
    if (sawForm && !permitted) {
      this.error = "name " + generalNameToString(tag, p, len) + " of certificate '" + who + "' is not permitted by the name constraints of '" + this.constrainer + "'";
      return false;
    }
    const eit = this.subtrees(1);
    while (eit.next()) {
      if (!this.charge()) return false;
      if (eit.tag != tag) continue;
      if (inSubtree(tag, p, len, shape, eit.ptr, eit.len, false)) {
        this.error = "name " + generalNameToString(tag, p, len) + " of certificate '" + who + "' is excluded by the name constraints of '" + this.constrainer + "'";
        return false;
      }
    }
    return true;
  }
}

/**
 * Checks every name of certificate `sub` against the NameConstraints SEQUENCE at ncBase + ncStart
 * (ncLen bytes) of the certificate or anchor named `constrainer`. Returns "" when all pass, else
 * the failure message. `exhaustedOut[0]` is set to true when the budget ran out.
 */
export function checkNameConstraintsFor(
  sub: Certificate, ncBase: usize, ncStart: i32, ncLen: i32, constrainer: string, budget: NcBudget, exhaustedOut: Array<bool>,
): string {
  const chk = new Check(ncBase, ncStart, ncLen, constrainer, budget);
  const who = sub.subject();
  // the subject as a directoryName (the content of directoryName is the Name's whole encoding)
  if (sub.subjectRdns > 0 && !chk.name(GN_DIRECTORY, sub.subjectPtr(), sub.subjectLen, who)) return finish(chk, exhaustedOut);
  // legacy e-mail addresses in the subject are rfc822 names
  if (countEmailAttributes(sub.subjectPtr(), sub.subjectLen) > 0 && !chk.name(GN_RFC822, 0, 0, who)) return finish(chk, exhaustedOut);
  if (sub.sanStart >= 0) {
    const names = new GeneralNames(new Reader(new DerCtx(), sub.base, sub.sanStart, TAG_SEQUENCE, sub.sanStart, sub.sanStart + sub.sanLen));
    while (names.next()) {
      if (!chk.name(names.tag, names.ptr, names.len, who)) return finish(chk, exhaustedOut);
    }
  }
  return "";
}

function finish(chk: Check, exhaustedOut: Array<bool>): string {
  if (chk.exhausted && exhaustedOut.length > 0) exhaustedOut[0] = true;
  return chk.error;
}
