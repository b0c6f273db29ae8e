// RFC 8448 sections 5 ("HelloRetryRequest"), 7 ("Compatibility Mode") and, in part, 6 ("Client
// Authentication") replayed through the component's TLS client engine in memory, as rfc8448.test.ts
// does for section 3: the RFC's client random, private keys and ClientHello bytes are injected
// through the test-only door (wasi-connect/tls-testing, assembly/tls/testing), the clock is fixed
// in 2020, and the server's records are fed exactly as the RFC prints them.
//
// What is checked byte-exact against the RFC (sections 5 and 7):
//   - every record the client writes: the ClientHello record(s), the Finished record and the
//     close_notify alert record. The only bytes not in the RFC's client stream are our
//     middlebox-compatibility ChangeCipherSpec in section 5 (the RFC's section 5 client does not use
//     compatibility mode; RFC 8446 D.4 lets a client send it right after a HelloRetryRequest, which
//     is where ours goes). In section 7 the RFC's client sends it too, at the same place as ours.
//   - the four traffic secrets, through the engine's NSS key log lines.
// The ClientHello messages themselves are the RFC's bytes, injected (ours have other extensions,
// and the RFC's second ClientHello in section 5 carries a padding extension ours never sends): what
// the replay proves is that everything that depends on them is right, namely the transcript hash
// (the message_hash rule of RFC 8446 4.4.1 after a HelloRetryRequest), the key schedule, the
// P-256 (section 5) and X25519 (section 7) key agreement with the injected private keys, the
// record protection, the server's Finished and CertificateVerify checks, and our Finished. Our
// handling of the HelloRetryRequest (the group it asks for, the cookie, the record version of the
// second ClientHello, the suite the ServerHello must repeat) runs as in production; only the bytes
// of the second ClientHello come from the RFC.
//
// Section 6 in part: the RFC's client answers the CertificateRequest with an RSA certificate and a
// CertificateVerify; this client has no certificate and answers with an empty Certificate, so its
// Certificate/Finished record cannot be the RFC's. Everything before it can, and so can what
// follows from the transcript up to the server's Finished: the handshake and application traffic
// secrets (key log), hence our close_notify record, which is checked byte-exact, and the server's
// close_notify. Our Finished is checked against a verify_data computed here with node:crypto over
// the RFC's transcript plus our empty Certificate.
//
// Not replayed: section 4 (resumed 0-RTT handshake). Its ClientHello offers early_data and sends
// 0-RTT application data; this client never sends early data (it resumes with psk_dhe_ke only), so
// it would refuse the server's early_data acceptance in EncryptedExtensions and could not produce
// the EndOfEarlyData the transcript covers. (The door's injected ClientHello also turns off the
// engine's own ticket offer, so the server's pre_shared_key selection would be refused first.)
//
// The server certificates are the RFC's self-signed test certificates (sections 5 and 7 use section
// 3's RSA-1024 one, which chain verification refuses, see rfc8448.test.ts); the replays run without
// chain verification, and the CertificateVerify signatures are still checked against the
// certificates' keys.
import { describe, it, expect } from 'vitest';
import { createHash, createHmac, createPrivateKey, createPublicKey, createECDH } from 'node:crypto';
import { TestTlsClient } from 'wasi-connect/tls-testing';
import { S5, S6, S7, hex } from './rfc8448-hrr-compat-vectors.js';
import * as V3 from './rfc8448-vectors.js';
import { openRecord } from './rfc8448-vectors.js';

const NOW_2020 = Date.UTC(2020, 0, 1) / 1000;
const CCS = hex('14 03 03 00 01 01');
const HRR_RANDOM = 'cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c';

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const u16 = (n: number): Uint8Array => new Uint8Array([n >> 8, n & 0xff]);

/** HKDF-Expand-Label (RFC 8446 7.1) with SHA-256, for outputs of at most 32 bytes (one HMAC block). */
function expandLabel(secretHex: string, label: string, len: number): Uint8Array {
  const full = Buffer.from('tls13 ' + label);
  const info = concat(u16(len), new Uint8Array([full.length]), full, new Uint8Array([0]), new Uint8Array([1]));
  return new Uint8Array(createHmac('sha256', Buffer.from(secretHex, 'hex')).update(info).digest().subarray(0, len));
}
const keyOf = (secret: string) => expandLabel(secret, 'key', 16);
const ivOf = (secret: string) => expandLabel(secret, 'iv', 12);

/** A section with one ClientHello and an X25519 share, and the RFC's traffic secrets, keys and IVs (sections 6 and 7). */
type OneHelloSection = typeof S6 & typeof S7;
type TrafficKeys = Pick<OneHelloSection,
  | 'serverHsTraffic' | 'serverHsKey' | 'serverHsIv' | 'clientHsTraffic' | 'clientHsKey' | 'clientHsIv'
  | 'serverApTraffic' | 'serverApKey' | 'serverApIv' | 'clientApTraffic' | 'clientApKey' | 'clientApIv'>;

/** The client engine replaying such a section: the RFC's random, private key and ClientHello. */
const replayClient = (s: Pick<OneHelloSection, 'clientHello' | 'clientX25519Private'>) => new TestTlsClient({
  name: 'server',
  verify: false,
  keylog: true,
  now: NOW_2020,
  fixedRandom: s.clientHello.subarray(6, 38),
  fixedKey: s.clientX25519Private,
  fixedHello: s.clientHello,
});

/** Every key and IV the RFC prints derives from its traffic secret (HKDF-Expand-Label, node:crypto). */
function expectKeysFromSecrets(s: TrafficKeys): void {
  for (const [secret, key, iv] of [
    [s.serverHsTraffic, s.serverHsKey, s.serverHsIv], [s.clientHsTraffic, s.clientHsKey, s.clientHsIv],
    [s.serverApTraffic, s.serverApKey, s.serverApIv], [s.clientApTraffic, s.clientApKey, s.clientApIv],
  ] as const) {
    expect(hexOf(keyOf(secret))).toBe(hexOf(key));
    expect(hexOf(ivOf(secret))).toBe(hexOf(iv));
  }
}

/** The X25519 public key of a raw private key (node:crypto, PKCS#8 wrapping). */
function x25519Public(priv: Uint8Array): Uint8Array {
  const der = Buffer.concat([Buffer.from('302e020100300506032b656e04220420', 'hex'), priv]);
  const spki = createPublicKey(createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** A plaintext handshake record around a message, legacy_record_version 0x03 minor. */
const plainRecord = (minor: number, msg: Uint8Array) => concat(new Uint8Array([22, 3, minor]), u16(msg.length), msg);

/** The DER certificate in a decrypted server flight whose EncryptedExtensions is eeLen bytes. */
const certIn = (flight: Uint8Array, eeLen: number) => flight.subarray(eeLen + 4 + 1 + 3 + 3, eeLen + 4 + 1 + 3 + 3 + 0x1b0);

const keylogLines = (random: Uint8Array, s: { clientHsTraffic: string; serverHsTraffic: string; clientApTraffic: string; serverApTraffic: string }) => {
  const r = hexOf(random);
  return [
    `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${r} ${s.clientHsTraffic}`,
    `SERVER_HANDSHAKE_TRAFFIC_SECRET ${r} ${s.serverHsTraffic}`,
    `CLIENT_TRAFFIC_SECRET_0 ${r} ${s.clientApTraffic}`,
    `SERVER_TRAFFIC_SECRET_0 ${r} ${s.serverApTraffic}`,
  ];
};

/** Feeds bytes in pieces of `step` (Infinity: whole). */
function feed(c: TestTlsClient, bytes: Uint8Array, step: number): void {
  const n = step === Infinity ? bytes.length : step;
  for (let i = 0; i < bytes.length; i += n) c.feed(bytes.subarray(i, i + n));
}

const pieces = [Infinity, 1, 61, 300];
const pieceName = (p: number) => (p === Infinity ? 'whole' : `${p} at a time`);

// -------------------------------------------------------------------------------------------------

describe('RFC 8448 section 5 (HelloRetryRequest) through the client engine', () => {
  const random = S5.clientHello1.subarray(6, 38);
  const newClient = (hello2: Uint8Array = S5.clientHello2) => new TestTlsClient({
    name: 'server',
    verify: false,
    keylog: true,
    now: NOW_2020,
    fixedRandom: random,
    // the first share's X25519 key, then the key of the P-256 share the HelloRetryRequest asks for
    fixedKey: concat(S5.clientX25519Private, S5.clientP256Private),
    // the first ClientHello, then the second (sent after the HelloRetryRequest)
    fixedHello: concat(S5.clientHello1, hello2),
  });

  it('the vectors are intact (node:crypto): keys, hellos, and the server records under keys derived from the RFC secrets', () => {
    expect(S5.clientHello1.length).toBe(180);
    expect(S5.clientHello2.length).toBe(512);
    expect(S5.hrrRecord.length).toBe(181);
    expect(S5.serverHelloRecord.length).toBe(128);
    expect(S5.serverFlightRecord.length).toBe(667);
    // the first ClientHello's X25519 share and the second's P-256 share are the injected keys' public keys
    expect(hexOf(S5.clientHello1)).toContain('001d0020' + hexOf(x25519Public(S5.clientX25519Private)));
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(S5.clientP256Private));
    expect(hexOf(ecdh.getPublicKey())).toBe(hexOf(S5.clientP256Public));
    expect(hexOf(S5.clientHello2)).toContain('00170041' + hexOf(S5.clientP256Public));
    // both ClientHellos share random and everything before the extensions' length
    expect(hexOf(S5.clientHello2.subarray(4, 46))).toBe(hexOf(S5.clientHello1.subarray(4, 46)));
    // the HelloRetryRequest: the special random, secp256r1, and the cookie the second ClientHello echoes
    expect(hexOf(S5.hrrRecord.subarray(11, 43))).toBe(HRR_RANDOM);
    expect(hexOf(S5.hrrRecord)).toContain('003300020017');
    const cookie = hexOf(S5.hrrRecord).match(/002c0074(.{232})/)![1];
    expect(hexOf(S5.clientHello2)).toContain('002c0074' + cookie);
    // the server's records authenticate under keys derived from the RFC's traffic secrets
    expect(hexOf(keyOf(S5.serverHsTraffic))).toBe(hexOf(S5.serverHsKey));
    expect(hexOf(ivOf(S5.serverHsTraffic))).toBe(hexOf(S5.serverHsIv));
    const flight = openRecord(S5.serverFlightRecord, S5.serverHsKey, S5.serverHsIv, 0);
    expect(flight.length).toBe(645 + 1);
    expect(flight[0]).toBe(8); // EncryptedExtensions (28 bytes) first
    expect(flight[flight.length - 1]).toBe(22);
    // the same certificate as section 3's
    const flight3 = openRecord(V3.SERVER_FLIGHT_RECORD, V3.SERVER_HS_KEY, V3.SERVER_HS_IV, 0);
    expect(hexOf(certIn(flight, 28))).toBe(hexOf(certIn(flight3, 40)));
    expect(hexOf(openRecord(S5.clientFinishedRecord, keyOf(S5.clientHsTraffic), ivOf(S5.clientHsTraffic), 0)).slice(0, 8)).toBe('14000020');
    expect([...openRecord(S5.clientCloseNotifyRecord, keyOf(S5.clientApTraffic), ivOf(S5.clientApTraffic), 0)]).toEqual([1, 0, 21]);
    expect([...openRecord(S5.serverCloseNotifyRecord, keyOf(S5.serverApTraffic), ivOf(S5.serverApTraffic), 0)]).toEqual([1, 0, 21]);
  });

  for (const piece of pieces) {
    it(`retries with the cookie and a P-256 share and produces the RFC's client records (server bytes fed ${pieceName(piece)})`, () => {
      const c = newClient();
      c.start();
      // the first ClientHello, in a TLS 1.0-versioned record (RFC 8446 5.1), as the RFC's record
      expect(hexOf(c.output())).toBe(hexOf(plainRecord(1, S5.clientHello1)));

      feed(c, S5.hrrRecord, piece);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('handshaking');
      // our compatibility ChangeCipherSpec, then the second ClientHello in a 0x0303 record, which is
      // the RFC's record byte for byte ("16 03 03 02 00 ...")
      expect(hexOf(c.output())).toBe(hexOf(concat(CCS, plainRecord(3, S5.clientHello2))));

      feed(c, concat(S5.serverHelloRecord, S5.serverFlightRecord), piece);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('open');
      expect(c.suite).toBe(0x1301);
      expect(c.group).toBe(0x0017); // secp256r1, as the HelloRetryRequest asked
      expect(c.signatureScheme).toBe(0x0804);
      // the Finished record exactly (no second ChangeCipherSpec)
      expect(hexOf(c.output())).toBe(hexOf(S5.clientFinishedRecord));
      expect(c.keylog()).toEqual(expect.arrayContaining(keylogLines(random, S5)));

      // the RFC's client closes first: our close_notify is its record; then the server's is accepted
      c.closeNotify();
      expect(hexOf(c.output())).toBe(hexOf(S5.clientCloseNotifyRecord));
      c.feed(S5.serverCloseNotifyRecord);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('closed-by-peer');
    });
  }

  it('the handshake secrets cover the second ClientHello: one changed padding byte and the server flight no longer decrypts', () => {
    const hello2 = S5.clientHello2.slice();
    hello2[hello2.length - 1] = 1;
    const c = newClient(hello2);
    c.start();
    c.output();
    c.feed(S5.hrrRecord);
    expect(hexOf(c.output())).toBe(hexOf(concat(CCS, plainRecord(3, hello2))));
    c.feed(concat(S5.serverHelloRecord, S5.serverFlightRecord));
    expect(c.status).toBe('failed');
    expect(c.failure).toMatchObject({ code: 'TLS_PROTOCOL_ERROR', alert: 20 }); // bad_record_mac
  });

  it('a ServerHello whose cipher suite differs from the HelloRetryRequest\'s is refused (illegal_parameter)', () => {
    const c = newClient();
    c.start();
    c.feed(S5.hrrRecord);
    const sh = S5.serverHelloRecord.slice();
    // cipher suite after header(5) + type/len(4) + version(2) + random(32) + session id length(1, empty)
    expect(hexOf(sh.subarray(44, 46))).toBe('1301');
    sh[45] = 0x03; // TLS_CHACHA20_POLY1305_SHA256, also offered
    c.feed(sh);
    expect(c.failure).toMatchObject({ alert: 47 });
    expect(c.failure?.message).toMatch(/HelloRetryRequest/);
  });
});

// -------------------------------------------------------------------------------------------------

describe('RFC 8448 section 7 (middlebox compatibility mode) through the client engine', () => {
  const random = S7.clientHello.subarray(6, 38);
  const newClient = () => replayClient(S7);

  it('the vectors are intact (node:crypto): key, hello, and the records under keys derived from the RFC secrets', () => {
    expect(S7.clientHello.length).toBe(224);
    expect(S7.serverHelloRecord.length).toBe(127);
    expect(S7.serverFlightRecord.length).toBe(679);
    expect(hexOf(S7.clientHello)).toContain('001d0020' + hexOf(x25519Public(S7.clientX25519Private)));
    // a 32-byte legacy_session_id, which the ServerHello echoes
    expect(S7.clientHello[38]).toBe(32);
    expect(hexOf(S7.serverHelloRecord.subarray(43, 76))).toBe(hexOf(S7.clientHello.subarray(38, 71)));
    expectKeysFromSecrets(S7);
    const flight = openRecord(S7.serverFlightRecord, S7.serverHsKey, S7.serverHsIv, 0);
    expect(flight[0]).toBe(8);
    expect(flight[flight.length - 1]).toBe(22);
    const flight3 = openRecord(V3.SERVER_FLIGHT_RECORD, V3.SERVER_HS_KEY, V3.SERVER_HS_IV, 0);
    expect(hexOf(certIn(flight, 40))).toBe(hexOf(certIn(flight3, 40)));
    expect(hexOf(openRecord(S7.clientFinishedRecord, S7.clientHsKey, S7.clientHsIv, 0)).slice(0, 8)).toBe('14000020');
    expect([...openRecord(S7.clientCloseNotifyRecord, S7.clientApKey, S7.clientApIv, 0)]).toEqual([1, 0, 21]);
    expect([...openRecord(S7.serverCloseNotifyRecord, S7.serverApKey, S7.serverApIv, 0)]).toEqual([1, 0, 21]);
  });

  for (const piece of pieces) {
    it(`takes the server's ChangeCipherSpec and produces exactly the RFC's client records (server bytes fed ${pieceName(piece)})`, () => {
      const c = newClient();
      c.start();
      expect(hexOf(c.output())).toBe(hexOf(plainRecord(1, S7.clientHello)));
      feed(c, concat(S7.serverHelloRecord, CCS, S7.serverFlightRecord), piece);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('open');
      expect(c.suite).toBe(0x1301);
      expect(c.group).toBe(0x001d);
      expect(c.signatureScheme).toBe(0x0804);
      // the RFC's client flight: ChangeCipherSpec, then the Finished record, byte for byte
      expect(hexOf(c.output())).toBe(hexOf(concat(CCS, S7.clientFinishedRecord)));
      expect(c.keylog()).toEqual(expect.arrayContaining(keylogLines(random, S7)));
      c.closeNotify();
      expect(hexOf(c.output())).toBe(hexOf(S7.clientCloseNotifyRecord));
      c.feed(S7.serverCloseNotifyRecord);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('closed-by-peer');
    });
  }

  it('a ServerHello that does not echo the session id is refused (illegal_parameter)', () => {
    const c = newClient();
    c.start();
    const sh = S7.serverHelloRecord.slice();
    sh[50] ^= 1; // inside the echoed session id
    c.feed(sh);
    expect(c.failure).toMatchObject({ alert: 47 });
    expect(c.failure?.message).toMatch(/session_id/);
  });
});

// -------------------------------------------------------------------------------------------------

describe('RFC 8448 section 6 (client authentication requested) through the client engine, up to our Certificate', () => {
  const random = S6.clientHello.subarray(6, 38);
  const newClient = () => replayClient(S6);

  it('the vectors are intact (node:crypto): key, hello, and the records under keys derived from the RFC secrets', () => {
    expect(S6.clientHello.length).toBe(192);
    expect(S6.serverHelloRecord.length).toBe(95);
    expect(S6.serverFlightRecord.length).toBe(539);
    expect(hexOf(S6.clientHello)).toContain('001d0020' + hexOf(x25519Public(S6.clientX25519Private)));
    expectKeysFromSecrets(S6);
    const flight = openRecord(S6.serverFlightRecord, S6.serverHsKey, S6.serverHsIv, 0);
    expect(flight[0]).toBe(8); // EncryptedExtensions, then CertificateRequest (13)
    expect(flight[4 + ((flight[1] << 16) | (flight[2] << 8) | flight[3])]).toBe(13);
    expect(flight[flight.length - 1]).toBe(22);
    expect([...openRecord(S6.clientCloseNotifyRecord, S6.clientApKey, S6.clientApIv, 0)]).toEqual([1, 0, 21]);
    expect([...openRecord(S6.serverCloseNotifyRecord, S6.serverApKey, S6.serverApIv, 0)]).toEqual([1, 0, 21]);
  });

  for (const piece of [Infinity, 1, 100]) {
    it(`answers the CertificateRequest with an empty Certificate and a right Finished; secrets and close_notify are the RFC's (server bytes fed ${pieceName(piece)})`, () => {
      const c = newClient();
      c.start();
      expect(hexOf(c.output())).toBe(hexOf(plainRecord(1, S6.clientHello)));
      feed(c, concat(S6.serverHelloRecord, S6.serverFlightRecord), piece);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('open');
      expect(c.suite).toBe(0x1301);
      expect(c.group).toBe(0x001d);
      expect(c.signatureScheme).toBe(0x0403); // ecdsa_secp256r1_sha256, verified against the server certificate's key
      expect(c.keylog()).toEqual(expect.arrayContaining(keylogLines(random, S6)));

      // our flight: ChangeCipherSpec, then the empty Certificate and the Finished under the RFC's client handshake keys
      const out = c.output();
      expect(hexOf(out.subarray(0, 6))).toBe(hexOf(CCS));
      const msgs: Uint8Array[] = [];
      for (let i = 6, seq = 0; i < out.length; seq++) {
        const len = (out[i + 3] << 8) | out[i + 4];
        const inner = openRecord(out.subarray(i, i + 5 + len), S6.clientHsKey, S6.clientHsIv, seq);
        expect(inner[inner.length - 1]).toBe(22);
        msgs.push(inner.subarray(0, inner.length - 1));
        i += 5 + len;
      }
      const ours = concat(...msgs);
      // Certificate: empty certificate_request_context (the RFC's CertificateRequest has an empty one) and no entries
      expect(hexOf(ours.subarray(0, 8))).toBe('0b00000400000000');
      expect(hexOf(ours.subarray(8, 12))).toBe('14000020');
      expect(ours.length).toBe(8 + 4 + 32);
      // verify_data = HMAC(finished_key, Hash(ClientHello .. server Finished, our Certificate)) (RFC 8446 4.4.4)
      const flight = openRecord(S6.serverFlightRecord, S6.serverHsKey, S6.serverHsIv, 0);
      const th = createHash('sha256')
        .update(S6.clientHello).update(S6.serverHelloRecord.subarray(5)).update(flight.subarray(0, flight.length - 1)).update(ours.subarray(0, 8))
        .digest();
      const finishedKey = expandLabel(S6.clientHsTraffic, 'finished', 32);
      expect(hexOf(ours.subarray(12))).toBe(createHmac('sha256', finishedKey).update(th).digest('hex'));

      // application keys come from the transcript up to the server's Finished: our close_notify is the RFC's record
      c.closeNotify();
      expect(hexOf(c.output())).toBe(hexOf(S6.clientCloseNotifyRecord));
      c.feed(S6.serverCloseNotifyRecord);
      expect(c.failure).toBeNull();
      expect(c.status).toBe('closed-by-peer');
    });
  }
});
