// Crypto primitives in the component's AssemblyScript (through the test-only crypto door, which
// copies inputs in and outputs out on every call: the numbers include that) beside node:crypto.
import crypto from 'node:crypto';
import * as c from '../dist/src/crypto-testing.js';

function rate(fn, minMs) {
  // run until minMs has passed; return operations per second (best of 3 slices)
  let best = 0;
  for (let slice = 0; slice < 3; slice++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < minMs / 3) {
      fn();
      n++;
      if ((n & 7) === 0) t = performance.now();
    }
    t = performance.now();
    best = Math.max(best, n / ((t - t0) / 1000));
  }
  return best;
}

const rnd = (n) => new Uint8Array(crypto.randomBytes(n));

export async function runCryptoBench({ quick = false } = {}) {
  const ms = quick ? 300 : 1500;
  const rows = [];
  const rec = 16 * 1024;
  const pt = rnd(rec);
  const aad = rnd(13);
  const nonce = rnd(12);

  // AEADs on 16 KiB records
  for (const [alg, keyLen, nodeAlg] of [['chacha20-poly1305', 32, 'chacha20-poly1305'], ['aes-128-gcm', 16, 'aes-128-gcm'], ['aes-256-gcm', 32, 'aes-256-gcm']]) {
    const key = rnd(keyLen);
    const ours = rate(() => c.aeadSeal(alg, key, nonce, aad, pt), ms);
    const theirs = rate(() => {
      const ci = crypto.createCipheriv(nodeAlg, key, nonce, { authTagLength: 16 });
      ci.setAAD(aad, { plaintextLength: pt.length });
      ci.update(pt);
      ci.final();
      ci.getAuthTag();
    }, ms);
    rows.push([`${alg} seal, 16 KiB records`, (ours * rec) / 1e6, (theirs * rec) / 1e6, 'MB/s']);
  }
  // SHA-256
  {
    const data = rnd(64 * 1024);
    const ours = rate(() => c.sha256(data), ms);
    const theirs = rate(() => crypto.createHash('sha256').update(data).digest(), ms);
    rows.push(['SHA-256, 64 KiB', (ours * data.length) / 1e6, (theirs * data.length) / 1e6, 'MB/s']);
  }
  // X25519
  {
    const k = rnd(32);
    const u = rnd(32);
    const a = crypto.generateKeyPairSync('x25519');
    const b = crypto.generateKeyPairSync('x25519');
    rows.push(['X25519 shared secret', rate(() => c.x25519(k, u), ms), rate(() => crypto.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey }), ms), 'ops/s']);
  }
  // ECDSA verify
  for (const [curve, nodeCurve, hash] of [['p256', 'prime256v1', 'sha256'], ['p384', 'secp384r1', 'sha384']]) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ec', { namedCurve: nodeCurve });
    const msg = rnd(64);
    const sig = new Uint8Array(crypto.sign(hash, msg, { key: privateKey, dsaEncoding: 'der' }));
    const jwk = publicKey.export({ format: 'jwk' });
    const point = new Uint8Array([4, ...Buffer.from(jwk.x, 'base64url'), ...Buffer.from(jwk.y, 'base64url')]);
    if (!c.ecdsaVerify(curve, hash, point, msg, sig)) throw new Error(`${curve} verify failed in the bench`);
    rows.push([`ECDSA ${curve.toUpperCase()} verify`, rate(() => c.ecdsaVerify(curve, hash, point, msg, sig), ms), rate(() => crypto.verify(hash, msg, { key: publicKey, dsaEncoding: 'der' }, sig), ms), 'ops/s']);
  }
  // RSA verify
  for (const bits of [2048, 4096]) {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 });
    const msg = rnd(64);
    const sig = new Uint8Array(crypto.sign('sha256', msg, privateKey));
    const jwk = publicKey.export({ format: 'jwk' });
    const n = new Uint8Array(Buffer.from(jwk.n, 'base64url'));
    const e = new Uint8Array(Buffer.from(jwk.e, 'base64url'));
    if (!c.rsaPkcs1Verify('sha256', n, e, msg, sig)) throw new Error('RSA verify failed in the bench');
    rows.push([`RSA-${bits} PKCS#1 v1.5 verify`, rate(() => c.rsaPkcs1Verify('sha256', n, e, msg, sig), ms), rate(() => crypto.verify('sha256', msg, publicKey, sig), ms), 'ops/s']);
  }

  console.log('\nCrypto in the component (AssemblyScript -> Wasm) beside node:crypto (OpenSSL, native)');
  console.log(`  ${'primitive'.padEnd(34)} ${'wasi-connect'.padStart(13)} ${'node:crypto'.padStart(13)} ${'ratio'.padStart(6)}`);
  for (const [name, ours, theirs, unit] of rows) {
    console.log(`  ${name.padEnd(34)} ${ours.toFixed(0).padStart(8)} ${unit.padEnd(5)} ${theirs.toFixed(0).padStart(7)} ${unit.padEnd(5)} ${(ours / theirs).toFixed(2).padStart(6)}`);
  }
  const aims = { 'chacha20-poly1305 seal, 16 KiB records': 200, 'aes-128-gcm seal, 16 KiB records': 80, 'X25519 shared secret': 10000, 'ECDSA P256 verify': 1200, 'ECDSA P384 verify': 200, 'RSA-2048 PKCS#1 v1.5 verify': 3000, 'SHA-256, 64 KiB': 200 };
  console.log('\n  aims: ' + rows.filter(([n]) => aims[n]).map(([n, ours, , unit]) => `${n.split(',')[0]} >= ${aims[n]} ${unit} (${ours >= aims[n] ? 'met' : 'NOT met'}: ${ours.toFixed(0)})`).join('; '));
}
