"""Certificate factory for the tests (driven by test/helpers/pki.ts; run with Debian's /usr/bin/python3,
whose python3-cryptography 38 can build any broken certificate).

stdin: JSON {"keyDir": str, "certs": [spec, ...]} with issuers listed before what they sign.
stdout: JSON {"certs": {id: {"der": hex, "keyPem": str}}}.

A spec (all optional but id / subject):
  id, subject: "CN" or [[attr, value], ...], issuer: id (absent: self-signed), key: "rsa2048" | "rsa1024" |
  "rsa3072" | "rsa4096" | "p256" | "p384" | "p521" | "ed25519", keyName: cache name (default key + ":" + id),
  keyOf: id (reuse that certificate's key), notBefore / notAfter: Unix seconds, serial: int,
  ca: null | {"pathLen": int | null, "critical": bool, "ca": bool}, keyUsage: null | [names], kuCritical,
  eku: null | [names or dotted OIDs], san: [ "DNS:..", "IP:..", "email:..", "URI:..", "DirName:CN=x" ],
  nameConstraints: null | {"permitted": [...], "excluded": [...], "critical": bool},
  extensions: [{"oid": str, "critical": bool, "hex": str}], ski: bool, aki: bool,
  hash: "sha256" | "sha384" | "sha512" | "sha1" | "md5", pss: null | {"saltLength": int} (RSA-PSS, MGF1 same hash),
  v1: bool (a v1 certificate: no version field, no extensions), outerAlgHex / innerAlgHex: raw DER replacing
  the outer signatureAlgorithm / tbsCertificate.signature after signing / before signing, issuerHex / subjectHex:
  raw Name DER put in place of the issuer / subject before signing (exact copies of real names).
Private keys are cached as PEM files in keyDir (a temp directory, never checked in).
"""
import ipaddress
import json
import os
import sys
import datetime
import time
import warnings

from cryptography import x509
from cryptography.x509.oid import NameOID, ExtendedKeyUsageOID, ObjectIdentifier
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa, ec, ed25519, padding

HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512, "sha1": hashes.SHA1, "md5": hashes.MD5}
ATTRS = {"CN": NameOID.COMMON_NAME, "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
         "C": NameOID.COUNTRY_NAME, "L": NameOID.LOCALITY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME,
         "DC": NameOID.DOMAIN_COMPONENT, "emailAddress": NameOID.EMAIL_ADDRESS, "serialNumber": NameOID.SERIAL_NUMBER}
EKUS = {"serverAuth": ExtendedKeyUsageOID.SERVER_AUTH, "clientAuth": ExtendedKeyUsageOID.CLIENT_AUTH,
        "codeSigning": ExtendedKeyUsageOID.CODE_SIGNING, "any": ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE}


def new_key(kind):
    if kind.startswith("rsa"):
        return rsa.generate_private_key(65537, int(kind[3:]))
    if kind == "p256":
        return ec.generate_private_key(ec.SECP256R1())
    if kind == "p384":
        return ec.generate_private_key(ec.SECP384R1())
    if kind == "p521":
        return ec.generate_private_key(ec.SECP521R1())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError("unknown key type " + kind)


LOADED = {}  # path -> key: loading an RSA key checks it (about 0.1 s each), so do it once per process


def load_key(key_dir, kind, name):
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
    path = os.path.join(key_dir, kind + "-" + safe + ".pem")
    if path in LOADED:
        return LOADED[path]
    if os.path.exists(path):
        with open(path, "rb") as f:
            LOADED[path] = serialization.load_pem_private_key(f.read(), None)
        return LOADED[path]
    key = new_key(kind)
    LOADED[path] = key
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    tmp = path + ".%d.tmp" % os.getpid()
    with open(tmp, "wb") as f:
        f.write(pem)
    os.replace(tmp, path)
    return key


def name_of(subject):
    if isinstance(subject, str):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)])
    attrs = []
    for attr, value in subject:
        oid = ATTRS[attr] if attr in ATTRS else ObjectIdentifier(attr)
        attrs.append(x509.NameAttribute(oid, value))
    return x509.Name(attrs)


def dirname_of(text):
    # "CN=a,O=b" in RFC 4514 order (most significant last)
    parts = [p.split("=", 1) for p in text.split(",")]
    return name_of(list(reversed([[k.strip(), v.strip()] for k, v in parts])))


def general_name(text, constraint):
    kind, value = text.split(":", 1)
    if kind == "DNS":
        return x509.DNSName(value)
    if kind == "IP":
        if constraint:
            return x509.IPAddress(ipaddress.ip_network(value, strict=False))
        return x509.IPAddress(ipaddress.ip_address(value))
    if kind == "email":
        return x509.RFC822Name(value)
    if kind == "URI":
        return x509.UniformResourceIdentifier(value)
    if kind == "DirName":
        return x509.DirectoryName(dirname_of(value))
    raise ValueError("unknown general name " + text)


# ---- minimal DER, for re-signing (RSA-PSS, v1, swapped algorithms) ----

def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, content):
    return bytes([tag]) + der_len(len(content)) + content


def children(data):
    """Top-level elements of a DER sequence's content, as raw encodings."""
    out, i = [], 0
    while i < len(data):
        tag = data[i]
        l = data[i + 1]
        hdr = 2
        if l & 0x80:
            n = l & 0x7f
            l = int.from_bytes(data[i + 2:i + 2 + n], "big")
            hdr += n
        out.append(data[i:i + hdr + l])
        i += hdr + l
    return out


def content(el):
    l = el[1]
    if l & 0x80:
        return el[2 + (l & 0x7f):]
    return el[2:]


HASH_OIDS = {"sha256": "608648016503040201", "sha384": "608648016503040202", "sha512": "608648016503040203"}


def pss_alg(hash_name, salt):
    h = tlv(0x30, tlv(0x06, bytes.fromhex(HASH_OIDS[hash_name])) + b"\x05\x00")
    mgf = tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d010108")) + h)
    params = tlv(0xa0, h) + tlv(0xa1, mgf) + tlv(0xa2, tlv(0x02, salt.to_bytes(2, "big").lstrip(b"\x00") or b"\x00"))
    return tlv(0x30, tlv(0x06, bytes.fromhex("2a864886f70d01010a")) + tlv(0x30, params))


def resign(cert_der, spec, issuer_key, hash_name):
    cert = children(content(cert_der))
    fields = children(content(cert[0]))
    if spec.get("v1"):
        fields = [f for f in fields if f[0] not in (0xa0, 0xa3)]
    alg_index = 2 if fields[0][0] == 0xa0 else 1
    pss = spec.get("pss")
    outer = cert[1]
    if pss is not None:
        outer = pss_alg(hash_name, pss.get("saltLength", {"sha256": 32, "sha384": 48, "sha512": 64}[hash_name]))
    fields[alg_index] = bytes.fromhex(spec["innerAlgHex"]) if spec.get("innerAlgHex") else outer
    if spec.get("issuerHex"):
        fields[alg_index + 1] = bytes.fromhex(spec["issuerHex"])
    if spec.get("subjectHex"):
        fields[alg_index + 3] = bytes.fromhex(spec["subjectHex"])
    tbs = tlv(0x30, b"".join(fields))
    h = HASHES[hash_name]()
    if pss is not None:
        sig = issuer_key.sign(tbs, padding.PSS(padding.MGF1(h), pss.get("saltLength", h.digest_size)), h)
    elif isinstance(issuer_key, rsa.RSAPrivateKey):
        sig = issuer_key.sign(tbs, padding.PKCS1v15(), h)
    elif isinstance(issuer_key, ec.EllipticCurvePrivateKey):
        sig = issuer_key.sign(tbs, ec.ECDSA(h))
    else:
        sig = issuer_key.sign(tbs)
    if spec.get("outerAlgHex"):
        outer = bytes.fromhex(spec["outerAlgHex"])
    return tlv(0x30, tbs + outer + tlv(0x03, b"\x00" + sig))


def build(spec, made, keys, key_dir, now):
    kind = spec.get("key", "p256")
    if spec.get("keyOf"):
        key = keys[spec["keyOf"]]
    else:
        key = load_key(key_dir, kind, spec.get("keyName", kind + ":" + spec["id"]))
    keys[spec["id"]] = key
    subject = name_of(spec["subject"])
    if spec.get("issuer"):
        issuer_cert = made[spec["issuer"]]
        issuer_name = issuer_cert.subject
        issuer_key = keys[spec["issuer"]]
    else:
        issuer_cert = None
        issuer_name = subject
        issuer_key = key
    epoch = datetime.datetime(1970, 1, 1)
    nb = spec.get("notBefore", now - 86400)
    na = spec.get("notAfter", now + 30 * 86400)
    b = (x509.CertificateBuilder()
         .subject_name(subject).issuer_name(issuer_name).public_key(key.public_key())
         .serial_number(spec.get("serial") or x509.random_serial_number())
         .not_valid_before(epoch + datetime.timedelta(seconds=nb))
         .not_valid_after(epoch + datetime.timedelta(seconds=na)))
    ca = spec.get("ca")
    if ca is not None:
        b = b.add_extension(x509.BasicConstraints(ca=ca.get("ca", True), path_length=ca.get("pathLen")), critical=ca.get("critical", True))
    ku = spec.get("keyUsage")
    if ku is not None:
        names = {"digitalSignature": "digital_signature", "contentCommitment": "content_commitment",
                 "keyEncipherment": "key_encipherment", "dataEncipherment": "data_encipherment",
                 "keyAgreement": "key_agreement", "keyCertSign": "key_cert_sign", "cRLSign": "crl_sign"}
        flags = {v: k in ku for k, v in names.items()}
        b = b.add_extension(x509.KeyUsage(encipher_only=False, decipher_only=False, **flags), critical=spec.get("kuCritical", True))
    eku = spec.get("eku")
    if eku is not None:
        b = b.add_extension(x509.ExtendedKeyUsage([EKUS[e] if e in EKUS else ObjectIdentifier(e) for e in eku]), critical=False)
    san = spec.get("san")
    if san:
        b = b.add_extension(x509.SubjectAlternativeName([general_name(s, False) for s in san]), critical=spec.get("sanCritical", False))
    nc = spec.get("nameConstraints")
    if nc is not None:
        b = b.add_extension(x509.NameConstraints(
            permitted_subtrees=[general_name(s, True) for s in nc["permitted"]] if nc.get("permitted") else None,
            excluded_subtrees=[general_name(s, True) for s in nc["excluded"]] if nc.get("excluded") else None),
            critical=nc.get("critical", True))
    if spec.get("ski", True):
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if spec.get("aki", True) and issuer_cert is not None:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False)
    for e in spec.get("extensions", []):
        b = b.add_extension(x509.UnrecognizedExtension(ObjectIdentifier(e["oid"]), bytes.fromhex(e["hex"])), critical=e["critical"])
    hash_name = spec.get("hash", "sha256")
    algorithm = None if isinstance(issuer_key, ed25519.Ed25519PrivateKey) else HASHES[hash_name]()
    cert = b.sign(issuer_key, algorithm)
    der = cert.public_bytes(serialization.Encoding.DER)
    if any(spec.get(k) for k in ("v1", "outerAlgHex", "innerAlgHex", "issuerHex", "subjectHex")) or spec.get("pss") is not None:
        der = resign(der, spec, issuer_key, hash_name)
    made[spec["id"]] = x509.load_der_x509_certificate(der) if not spec.get("outerAlgHex") else cert
    return der, key


def main():
    warnings.simplefilter("ignore")  # cryptography warns about the SHA-1 certificates we make on purpose
    req = json.load(sys.stdin)
    key_dir = req["keyDir"]
    os.makedirs(key_dir, exist_ok=True)
    now = req.get("now") or int(time.time())
    made, keys, out = {}, {}, {}
    for spec in req["certs"]:
        der, key = build(spec, made, keys, key_dir, now)
        out[spec["id"]] = {
            "der": der.hex(),
            "keyPem": key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                        serialization.NoEncryption()).decode(),
        }
    json.dump({"certs": out}, sys.stdout)


main()
