// Certificate verification for the TLS client: the public API of assembly/x509 (see docs/X509.md).
//
//   verifyServerChain(certs, dnsName, ip, nowSeconds, store): ChainResult
//   leafPublicKey(der): PublicKey | null           PublicKey.verifyScheme(scheme, msg, msgLen, sig, sigLen, tls13)
//   builtinTrustStore(), trustStoreFrom(blobs), addTrustAnchors(blob), lastX509Error
export { CertStatus, ChainResult } from "./status";
export { PublicKey, KEY_RSA, KEY_EC_P256, KEY_EC_P384 } from "./pubkey";
export { TrustStore, TrustAnchor, trustStoreFrom, lastX509Error } from "./store";
export { builtinTrustStore, addTrustAnchors, builtinAnchorCount } from "./anchors";
export {
  verifyServerChain, leafPublicKey, MAX_INTERMEDIATES, MAX_SIGNATURE_CHECKS, MAX_BUILD_STEPS, MAX_NC_COMPARISONS,
  MAX_PRESENTED, MIN_RSA_BITS,
} from "./verify";
