// Server certificate chain verification: path building from the leaf to a trust anchor (webpki's
// design), the per-certificate checks, the host name, and the verdict with a precise message.
//
// Order of the checks, and so which status wins when several things are wrong:
//   1. The leaf must parse, and pass its issuer-independent checks (v3, an accepted signature
//      algorithm, an accepted key, no unknown critical extension, EKU serverAuth or absent, keyUsage
//      digitalSignature or absent) -> Invalid.
//   2. A path to a trust anchor must exist. Path building tries candidate issuers depth-first
//      (anchors first, then the presented certificates whose subject is the issuer Name, those
//      whose SKI matches the AKI first) and backtracks; a candidate that fails any check is
//      skipped, and when no path exists the most specific failure met on the way is reported:
//      a defect of a candidate issuer (Invalid / Expired / NotYetValid: signature, not a CA,
//      pathLen, keyUsage, EKU, validity, name constraints, key size, algorithm) outranks
//      "no issuer found" (Untrusted). Exhausting a budget ends the search at once (Untrusted).
//   3. The host name against the leaf's subjectAltName -> HostnameMismatch.
//   4. The leaf's own validity period -> Expired / NotYetValid.
// So an untrusted chain is Untrusted even when its leaf also expired (as browsers rank "authority
// invalid" over "date invalid"), and a trusted certificate for another host is HostnameMismatch
// even when it also expired. Intermediates' validity is part of step 2, because another path
// (a cross-signed intermediate) may avoid an expired one.
import { CertStatus, ChainResult } from "./status";
import { Certificate, parseCertificate, lastCertError, KU_DIGITAL_SIGNATURE, KU_KEY_CERT_SIGN } from "./cert";
import { PublicKey, KEY_RSA } from "./pubkey";
import { SIG_REFUSED } from "./sigalg";
import { TrustStore, TrustAnchor, hashBytes } from "./store";
import { bytesEqual } from "./der";
import { formatTime } from "./time";
import { matchesReference, describeIdentities, ipToString, referenceBytes } from "./hostname";
import { NcBudget, checkNameConstraintsFor } from "./constraints";

/** At most this many intermediates between the leaf and the anchor (webpki's MAX_SUB_CA_COUNT). */
export const MAX_INTERMEDIATES: i32 = 6;
/** Signature verifications per chain (webpki, after Go's fix for CVE-2018-16875). */
export const MAX_SIGNATURE_CHECKS: i32 = 100;
/** Path-building steps (calls that look for an issuer) per chain. */
export const MAX_BUILD_STEPS: i32 = 200000;
/** Name-constraint comparisons per chain. */
export const MAX_NC_COMPARISONS: i32 = 250000;
/** Presented certificates after the leaf that are considered (the rest are ignored). */
export const MAX_PRESENTED: i32 = 64;
/** Smallest RSA modulus accepted anywhere in a chain. */
export const MIN_RSA_BITS: i32 = 2048;

// Failure ranks: a higher rank replaces a lower one; the first failure of a rank is kept.
const RANK_NO_ISSUER = 1;
const RANK_DEFECT = 2;
const RANK_BUDGET = 3;

// Signature-cache ids: the leaf is 0, presented certificate i is i + 1, anchor j is ANCHOR_ID0 + j.
const ANCHOR_ID0: i64 = 1000;

function q(s: string): string {
  return "'" + s + "'";
}

/** Issuer-independent problems of a key for use in a chain: "" or the message. */
function keyProblem(c: Certificate): string {
  const k = c.key;
  if (k == null) return "certificate " + q(c.subject()) + " has an unsupported public key: " + c.keyError;
  if (k.kind == KEY_RSA && k.bits < MIN_RSA_BITS) {
    return "certificate " + q(c.subject()) + " has a " + k.bits.toString() + "-bit RSA key; at least " + MIN_RSA_BITS.toString() + " bits are required";
  }
  return "";
}

/** Problems every certificate of a path is checked for: "" or the message. */
function commonProblem(c: Certificate): string {
  if (c.version != 3) return "certificate " + q(c.subject()) + " is X.509 v" + c.version.toString() + " (only v3 is accepted)";
  if (c.sigAlg.kind == SIG_REFUSED) return "certificate " + q(c.subject()) + " is signed with " + c.sigAlg.name + ": " + c.sigAlg.refusal;
  const kp = keyProblem(c);
  if (kp.length > 0) return kp;
  if (c.unknownCritical.length > 0) return "certificate " + q(c.subject()) + " has an unknown critical extension " + c.unknownCritical;
  return "";
}

/** The leaf's issuer-independent checks (all but its validity period): "" or the message. */
function leafProblem(c: Certificate): string {
  const p = commonProblem(c);
  if (p.length > 0) return p;
  if (c.ekuPresent && !c.ekuServerAuth) {
    return "certificate " + q(c.subject()) + " is not valid for TLS servers (extendedKeyUsage: " + c.ekuText + ")";
  }
  if (c.keyUsage >= 0 && (c.keyUsage & KU_DIGITAL_SIGNATURE) == 0) {
    return "certificate " + q(c.subject()) + " has a keyUsage without digitalSignature, which TLS server signatures need";
  }
  return "";
}

/** The message of the last validityStatus that was not Ok. */
let validityMessage: string = "";

/** Validity of c at now: Ok, Expired or NotYetValid (then validityMessage says why). */
function validityStatus(c: Certificate, now: i64): CertStatus {
  if (now < c.notBefore) {
    validityMessage = "certificate " + q(c.subject()) + " is not valid before " + formatTime(c.notBefore) + " (now " + formatTime(now) + ")";
    return CertStatus.NotYetValid;
  }
  if (now > c.notAfter) {
    validityMessage = "certificate " + q(c.subject()) + " expired at " + formatTime(c.notAfter) + " (now " + formatTime(now) + ")";
    return CertStatus.Expired;
  }
  return CertStatus.Ok;
}

/** Depth-first path building with webpki's budgets. */
class PathBuilder {
  leaf: Certificate;
  pool: Array<Certificate>;
  store: TrustStore;
  now: i64;

  /** The path so far above the leaf: intermediates, leaf-side first. */
  path: Array<Certificate> = new Array<Certificate>();
  pathIds: Array<i32> = new Array<i32>();
  anchor: TrustAnchor | null = null;

  sigChecks: i32 = 0;
  steps: i32 = 0;
  nc: NcBudget = new NcBudget();
  aborted: bool = false;
  sigCache: Map<i64, bool> = new Map<i64, bool>();
  // per presented certificate: 0 = CA checks not run, 1 = passed, 2 = failed (caStatus/caMsg)
  caState: Array<i32>;
  caStatus: Array<i32>;
  caMsg: Array<string>;

  errRank: i32 = 0;
  errStatus: CertStatus = CertStatus.Untrusted;
  errMessage: string = "";

  constructor(leaf: Certificate, pool: Array<Certificate>, store: TrustStore, now: i64) {
    this.leaf = leaf;
    this.pool = pool;
    this.store = store;
    this.now = now;
    const n = pool.length;
    this.caState = new Array<i32>(n);
    this.caStatus = new Array<i32>(n);
    this.caMsg = new Array<string>(n);
    for (let i = 0; i < n; i++) this.caMsg[i] = "";
  }

  record(status: CertStatus, rank: i32, message: string): void {
    if (rank > this.errRank) {
      this.errRank = rank;
      this.errStatus = status;
      this.errMessage = message;
    }
  }

  abort(message: string): void {
    this.record(CertStatus.Untrusted, RANK_BUDGET, message);
    this.aborted = true;
  }

  /** Is c (by id, or by the same subject and key) already on the path? */
  onPath(c: Certificate, id: i32): bool {
    if (bytesEqual(c.subjectPtr(), c.subjectLen, this.leaf.subjectPtr(), this.leaf.subjectLen) &&
      bytesEqual(c.spkiPtr(), c.spkiLen, this.leaf.spkiPtr(), this.leaf.spkiLen)) return true;
    for (let i = 0; i < this.path.length; i++) {
      if (this.pathIds[i] == id) return true;
      const p = this.path[i];
      if (bytesEqual(c.subjectPtr(), c.subjectLen, p.subjectPtr(), p.subjectLen) &&
        bytesEqual(c.spkiPtr(), c.spkiLen, p.spkiPtr(), p.spkiLen)) return true;
    }
    return false;
  }

  /**
   * Does `key` (of the issuer `issuerName`, cache id issuerId) verify child's signature? Charged to
   * the signature budget unless cached. On failure records why.
   */
  signatureOk(child: Certificate, childId: i32, key: PublicKey, issuerId: i64, issuerName: string): bool {
    const cacheKey = (<i64>childId << 32) | issuerId;
    if (this.sigCache.has(cacheKey)) {
      const ok = this.sigCache.get(cacheKey);
      if (!ok) this.recordBadSignature(child, key, issuerName);
      return ok;
    }
    let ok = false;
    if (key.fits(child.sigAlg)) {
      if (++this.sigChecks > MAX_SIGNATURE_CHECKS) {
        this.abort("gave up after " + MAX_SIGNATURE_CHECKS.toString() + " signature checks without finding a trusted path for certificate " + q(this.leaf.subject()));
        return false;
      }
      ok = key.verifySigned(child.sigAlg, child.base + <usize>child.tbsStart, child.tbsLen, child.base + <usize>child.sigStart, child.sigLen);
    }
    this.sigCache.set(cacheKey, ok);
    if (!ok) this.recordBadSignature(child, key, issuerName);
    return ok;
  }

  recordBadSignature(child: Certificate, key: PublicKey, issuerName: string): void {
    const why = key.fits(child.sigAlg)
      ? "does not verify with the key of " + q(issuerName)
      : "(" + child.sigAlg.name + ") cannot be made by the " + key.describe() + " key of " + q(issuerName);
    this.record(CertStatus.Invalid, RANK_DEFECT, "the signature of certificate " + q(child.subject()) + " " + why);
  }

  /** Issuer-independent checks of presented certificate i as a CA (cached); true when it passes. */
  caOk(i: i32): bool {
    if (this.caState[i] == 0) {
      const c = this.pool[i];
      let msg = commonProblem(c);
      let status = CertStatus.Invalid;
      if (msg.length == 0) {
        if (!c.hasBasicConstraints || !c.isCA) {
          msg = "certificate " + q(c.subject()) + " is not a CA (basicConstraints CA:TRUE is missing), so it cannot issue certificates";
        } else if (c.keyUsage >= 0 && (c.keyUsage & KU_KEY_CERT_SIGN) == 0) {
          msg = "certificate " + q(c.subject()) + " is a CA whose keyUsage lacks keyCertSign";
        } else if (c.ekuPresent && !c.ekuServerAuth && !c.ekuAny) {
          msg = "intermediate certificate " + q(c.subject()) + " is not valid for TLS servers (extendedKeyUsage: " + c.ekuText + ")";
        } else {
          status = validityStatus(c, this.now);
          if (status != CertStatus.Ok) msg = validityMessage;
        }
      }
      this.caState[i] = msg.length == 0 ? 1 : 2;
      this.caStatus[i] = <i32>status;
      this.caMsg[i] = msg;
    }
    if (this.caState[i] == 2) {
      this.record(<CertStatus>this.caStatus[i], RANK_DEFECT, this.caMsg[i]);
      return false;
    }
    return true;
  }

  /** Name constraints of every intermediate on the path and of the anchor, on what is below them. */
  constraintsOk(anchor: TrustAnchor): bool {
    const n = this.path.length;
    const exhausted = new Array<bool>(1);
    for (let j = 0; j <= n; j++) {
      // constrainer j: path[j] for j < n, the anchor for j == n
      let ncBase: usize = 0, ncStart = -1, ncLen = 0;
      let who = "";
      if (j < n) {
        const c = this.path[j];
        if (c.ncStart < 0) continue;
        ncBase = c.base; ncStart = c.ncStart; ncLen = c.ncLen; who = c.subject();
      } else {
        const nc = anchor.nc;
        if (nc == null) continue;
        ncBase = nc.dataStart; ncStart = 0; ncLen = nc.length; who = anchor.displaySubject();
      }
      // every certificate below the constrainer: the leaf and path[0 .. j-1]
      for (let i = -1; i < j; i++) {
        const sub = i < 0 ? this.leaf : this.path[i];
        const msg = checkNameConstraintsFor(sub, ncBase, ncStart, ncLen, who, this.nc, exhausted);
        if (exhausted[0]) { this.abort(msg); return false; }
        if (msg.length > 0) { this.record(CertStatus.Invalid, RANK_DEFECT, msg); return false; }
      }
    }
    return true;
  }

  /** Looks for an issuer of cur (id curId), with `depth` intermediates already on the path. */
  extend(cur: Certificate, curId: i32, depth: i32): bool {
    if (++this.steps > MAX_BUILD_STEPS) {
      this.abort("gave up after " + MAX_BUILD_STEPS.toString() + " path-building steps without finding a trusted path for certificate " + q(this.leaf.subject()));
      return false;
    }
    const ip = cur.issuerPtr();
    const iLen = cur.issuerLen;
    const h = hashBytes(ip, iLen);
    let sawIssuer = false;

    // 1. trust anchors named as cur's issuer
    const anchors = this.store.anchors;
    for (let j = 0; j < anchors.length; j++) {
      const a = anchors[j];
      if (a.subjectHash != h || !bytesEqual(a.subject.dataStart, a.subject.length, ip, iLen)) continue;
      sawIssuer = true;
      const key = a.key;
      if (key == null) {
        this.record(CertStatus.Invalid, RANK_DEFECT, "trust anchor " + q(a.displaySubject()) + " has an unsupported public key: " + a.keyError);
        continue;
      }
      if (key.kind == KEY_RSA && key.bits < MIN_RSA_BITS) {
        this.record(CertStatus.Invalid, RANK_DEFECT, "trust anchor " + q(a.displaySubject()) + " has a " + key.bits.toString() + "-bit RSA key; at least " + MIN_RSA_BITS.toString() + " bits are required");
        continue;
      }
      const ok = this.signatureOk(cur, curId, key, ANCHOR_ID0 + <i64>j, a.displaySubject());
      if (this.aborted) return false;
      if (!ok) continue;
      const ncOk = this.constraintsOk(a);
      if (this.aborted) return false;
      if (!ncOk) continue;
      this.anchor = a;
      return true;
    }

    // 2. presented certificates named as cur's issuer, those with SKI == cur's AKI first
    const pool = this.pool;
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < pool.length; i++) {
        const c = pool[i];
        if (!bytesEqual(c.subjectPtr(), c.subjectLen, ip, iLen)) continue;
        const kidMatch = cur.akiStart >= 0 && c.skiStart >= 0 &&
          bytesEqual(cur.base + <usize>cur.akiStart, cur.akiLen, c.base + <usize>c.skiStart, c.skiLen);
        if ((pass == 0) != kidMatch) continue;
        if (this.onPath(c, i + 1)) continue;
        sawIssuer = true;
        if (depth >= MAX_INTERMEDIATES) {
          this.record(CertStatus.Invalid, RANK_DEFECT, "the path from certificate " + q(this.leaf.subject()) + " would need more than " + MAX_INTERMEDIATES.toString() + " intermediate certificates");
          return false;
        }
        if (!this.caOk(i)) continue;
        if (c.pathLen >= 0 && depth > c.pathLen) {
          this.record(CertStatus.Invalid, RANK_DEFECT, "certificate " + q(c.subject()) + " allows " + c.pathLen.toString() +
            " intermediate CA(s) below it (pathLenConstraint) but this path has " + depth.toString());
          continue;
        }
        const key = c.key;
        if (key == null) continue; // caOk refused it already
        const ok = this.signatureOk(cur, curId, key, <i64>(i + 1), c.subject());
        if (this.aborted) return false;
        if (!ok) continue;
        this.path.push(c);
        this.pathIds.push(i + 1);
        if (this.extend(c, i + 1, depth + 1)) return true;
        this.path.pop();
        this.pathIds.pop();
        if (this.aborted) return false;
      }
    }

    if (!sawIssuer) {
      if (cur.selfIssued()) {
        this.record(CertStatus.Untrusted, RANK_NO_ISSUER, "certificate " + q(cur.subject()) + " is self-signed and is not a trust anchor");
      } else {
        this.record(CertStatus.Untrusted, RANK_NO_ISSUER, "certificate " + q(cur.subject()) + " was issued by " + q(cur.issuer()) +
          ", which is neither a trust anchor nor among the certificates the server sent");
      }
    }
    return false;
  }
}

function fail(r: ChainResult, status: CertStatus, message: string): ChainResult {
  r.status = status;
  r.message = message;
  return r;
}

/**
 * Verifies a server's certificate chain. certs: DER certificates as the server sent them (leaf
 * first, the rest in any order, possibly extra or unrelated ones). dnsName: the reference identity,
 * lowercase ASCII without trailing dot (empty when ip is given). ip: 4 or 16 bytes for an IP-literal
 * reference identity, else null. nowSeconds: Unix time. store: the trust anchors.
 */
export function verifyServerChain(certs: Array<Uint8Array>, dnsName: string, ip: Uint8Array | null, nowSeconds: i64, store: TrustStore): ChainResult {
  const r = new ChainResult();
  if (certs.length == 0) return fail(r, CertStatus.Invalid, "the server sent no certificate");
  const leaf = parseCertificate(certs[0], false);
  if (leaf == null) return fail(r, CertStatus.Invalid, "the server's certificate is malformed: " + lastCertError);
  r.leafKey = leaf.key;
  r.subjects.push(leaf.subject());

  const lp = leafProblem(leaf);
  if (lp.length > 0) return fail(r, CertStatus.Invalid, lp);

  // the other certificates: malformed ones cannot be on a path and are skipped (but mentioned)
  const pool = new Array<Certificate>();
  let skipped = "";
  const n = min(certs.length, MAX_PRESENTED + 1);
  for (let i = 1; i < n; i++) {
    const c = parseCertificate(certs[i], false);
    if (c != null) pool.push(c);
    else if (skipped.length == 0) skipped = "; certificate #" + (i + 1).toString() + " the server sent is malformed (" + lastCertError + ") and was ignored";
  }

  const b = new PathBuilder(leaf, pool, store, nowSeconds);
  if (!b.extend(leaf, 0, 0)) {
    return fail(r, b.errStatus, b.errMessage + (b.errRank <= RANK_NO_ISSUER ? skipped : ""));
  }
  const anchor = b.anchor!;
  for (let i = 0; i < b.path.length; i++) r.subjects.push(b.path[i].subject());
  // a leaf that is itself the trust anchor (a self-signed certificate given as `ca`) ends the path
  const leafIsAnchor = b.path.length == 0 && anchor.spki.length == leaf.spkiLen &&
    memory.compare(anchor.spki.dataStart, leaf.spkiPtr(), <usize>leaf.spkiLen) == 0 && anchor.displaySubject() == leaf.subject();
  if (!leafIsAnchor) r.subjects.push(anchor.displaySubject());

  // the host name, against subjectAltName only
  const refText = ip != null ? ipToString(ip.dataStart, ip.length) : dnsName;
  if (ip == null && referenceBytes(dnsName) == null) {
    return fail(r, CertStatus.HostnameMismatch, "the host name " + q(dnsName) + " is not a valid DNS name to check certificate " + q(leaf.subject()) + " against" +
      (dnsName.length > 0 ? "" : " (no host name or IP address was given)"));
  }
  if (!matchesReference(leaf, dnsName, ip)) {
    const ids = describeIdentities(leaf);
    return fail(r, CertStatus.HostnameMismatch, "certificate " + q(leaf.subject()) + " is not valid for " + q(refText) + ": " +
      (ids.length > 0 ? "it is valid for " + ids : "it has no DNS or IP subjectAltName (the subject CN is not used)"));
  }

  // the leaf's own validity period
  const vs = validityStatus(leaf, nowSeconds);
  if (vs != CertStatus.Ok) return fail(r, vs, validityMessage);

  r.status = CertStatus.Ok;
  r.message = "certificate " + q(leaf.subject()) + " is valid for " + q(refText) + ", trusted through " + q(anchor.displaySubject());
  return r;
}

/**
 * For connections that skip verification: parses just the leaf's key (any RSA 1024..8192 or EC
 * P-256/P-384). The certificate needs sound DER structure only (anchor-mode parsing: its
 * signature algorithm, validity and extensions are not judged). null when there is no such key.
 */
export function leafPublicKey(der: Uint8Array): PublicKey | null {
  const c = parseCertificate(der, true);
  if (c == null) return null;
  return c.key;
}
