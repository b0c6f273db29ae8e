// RFC 8448 section 3 replayed through the component's TLS client engine (in memory, with the
// trace's ClientHello, client random, X25519 key and an injected clock): the engine must accept
// the trace's server flight and produce the very bytes the RFC prints for the client's Finished
// and application data. The trace's certificate is a self-signed RSA-1024 one that expired in
// 2026, so the replay runs without chain verification (its CertificateVerify is still checked),
// and a second run shows that verification refuses that certificate.
import { describe, it, expect } from 'vitest';
import { createCipheriv } from 'node:crypto';
import { TestTlsClient } from 'wasi-connect/tls-testing';
import * as V from './rfc8448-vectors.js';
import { nonce, openRecord } from './rfc8448-vectors.js';

const NOW_2020 = Date.UTC(2020, 0, 1) / 1000;
const CCS = V.hex('14 03 03 00 01 01');
const CLIENT_HS_KEY = V.hex('db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01');
const CLIENT_HS_IV = V.hex('5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f');


/** Protects inner plaintext as a TLS 1.3 AES-128-GCM record with node:crypto. */
function sealRecord(inner: Uint8Array, key: Uint8Array, iv: Uint8Array, seq: number): Uint8Array {
  const len = inner.length + 16;
  const header = new Uint8Array([23, 3, 3, len >> 8, len & 0xff]);
  const c = createCipheriv('aes-128-gcm', key, nonce(iv, seq));
  c.setAAD(header);
  const body = Buffer.concat([c.update(inner), c.final(), c.getAuthTag()]);
  return new Uint8Array(Buffer.concat([header, body]));
}

const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** A NewSessionTicket (lifetime 30 s, a 16-byte ticket), as the server's first application-key record. */
function ticketRecord(): Uint8Array {
  const nst = V.hex('04 00 00 1f 00 00 00 1e fa d6 aa c5 02 00 00 00 10 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 00 00');
  return sealRecord(concat(nst, new Uint8Array([22])), V.SERVER_AP_KEY, V.SERVER_AP_IV, 0);
}

function newClient(extra: Partial<ConstructorParameters<typeof TestTlsClient>[0]> = {}): TestTlsClient {
  return new TestTlsClient({
    name: 'server',
    verify: false,
    now: NOW_2020,
    fixedRandom: V.CLIENT_HELLO.subarray(6, 38),
    fixedKey: V.CLIENT_PRIVATE,
    fixedHello: V.CLIENT_HELLO,
    ...extra,
  });
}

describe('RFC 8448 section 3 (simple 1-RTT handshake) through the client engine', () => {
  it('the vectors are intact: the server records authenticate under the RFC keys (node:crypto)', () => {
    const flight = openRecord(V.SERVER_FLIGHT_RECORD, V.SERVER_HS_KEY, V.SERVER_HS_IV, 0);
    expect(flight.length).toBe(658);
    expect(flight[0]).toBe(8); // EncryptedExtensions first
    expect(flight[flight.length - 1]).toBe(22); // inner type handshake
    const app = openRecord(V.SERVER_APP_RECORD, V.SERVER_AP_KEY, V.SERVER_AP_IV, 1);
    expect(hexOf(app)).toBe(hexOf(concat(V.APP_DATA, new Uint8Array([23]))));
  });

  for (const piece of [Infinity, 1, 7, 100, 679]) {
    it(`completes the handshake and produces the RFC's bytes (server bytes fed ${piece === Infinity ? 'whole' : `${piece} at a time`})`, () => {
      const c = newClient();
      c.start();
      // the ClientHello goes out as the trace's, in a TLS 1.0-versioned record (RFC 8446 5.1)
      expect(hexOf(c.output())).toBe('16030100c4' + hexOf(V.CLIENT_HELLO));
      const server = concat(V.SERVER_HELLO_RECORD, V.SERVER_FLIGHT_RECORD);
      const step = piece === Infinity ? server.length : piece;
      for (let i = 0; i < server.length; i += step) c.feed(server.subarray(i, i + step));
      expect(c.failure).toBeNull();
      expect(c.status).toBe('open');
      expect(c.suite).toBe(0x1301);
      expect(c.group).toBe(0x001d);
      expect(c.signatureScheme).toBe(0x0804); // rsa_pss_rsae_sha256, verified against the certificate's key
      // our flight: the middlebox-compatibility ChangeCipherSpec, then the trace's Finished record exactly
      expect(hexOf(c.output())).toBe(hexOf(concat(CCS, V.CLIENT_FINISHED_RECORD)));

      // the server's NewSessionTicket (sequence 0) and application data (sequence 1)
      c.feed(ticketRecord());
      expect(c.failure).toBeNull();
      c.feed(V.SERVER_APP_RECORD);
      expect(hexOf(c.read())).toBe(hexOf(V.APP_DATA));
      // our application data: the trace's record exactly
      c.write(V.APP_DATA);
      expect(hexOf(c.output())).toBe(hexOf(V.CLIENT_APP_RECORD));
    });
  }

  it('frames writes into records as large as the data allows: a small write is one record, 64 KiB four full ones', () => {
    const c = newClient();
    c.start();
    c.output();
    c.feed(concat(V.SERVER_HELLO_RECORD, V.SERVER_FLIGHT_RECORD));
    c.output();
    const records = (out: Uint8Array) => {
      const lens: number[] = [];
      for (let i = 0; i < out.length; i += 5 + ((out[i + 3] << 8) | out[i + 4])) lens.push((out[i + 3] << 8) | out[i + 4]);
      return lens;
    };
    c.write(new Uint8Array(10));
    expect(records(c.output())).toEqual([10 + 1 + 16]); // content, inner type, tag
    c.write(new Uint8Array(65536));
    expect(records(c.output())).toEqual([16401, 16401, 16401, 16401]); // 2^14 + 1 + 16 each
    c.write(new Uint8Array(16385));
    expect(records(c.output())).toEqual([16401, 18]);
  });

  it('logs the trace\'s secrets in the NSS key log format', () => {
    const c = newClient({ keylog: true });
    c.start();
    c.output();
    c.feed(concat(V.SERVER_HELLO_RECORD, V.SERVER_FLIGHT_RECORD));
    const random = hexOf(V.CLIENT_HELLO.subarray(6, 38));
    expect(c.keylog()).toEqual(expect.arrayContaining([
      `SERVER_HANDSHAKE_TRAFFIC_SECRET ${random} b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38`,
      `CLIENT_HANDSHAKE_TRAFFIC_SECRET ${random} b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21`,
      `CLIENT_TRAFFIC_SECRET_0 ${random} 9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5`,
      `SERVER_TRAFFIC_SECRET_0 ${random} a11af9f05531f856ad47116b45a950328204b4f44bfb6b3a4b4f1f3fcb631643`,
    ]));
  });

  it('with verification on, the trace\'s RSA-1024 certificate is refused (bad_certificate, encrypted under the handshake key)', () => {
    const flight = openRecord(V.SERVER_FLIGHT_RECORD, V.SERVER_HS_KEY, V.SERVER_HS_IV, 0);
    // the Certificate message follows the 40-byte EncryptedExtensions: 4-byte header, context, list
    const der = flight.subarray(40 + 4 + 1 + 3 + 3, 40 + 4 + 1 + 3 + 3 + 0x1b0);
    const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`;
    const c = newClient({ verify: true, ca: pem });
    c.start();
    c.output();
    c.feed(concat(V.SERVER_HELLO_RECORD, V.SERVER_FLIGHT_RECORD));
    expect(c.status).toBe('failed');
    expect(c.failure?.code).toBe('TLS_CERTIFICATE_INVALID');
    expect(c.failure?.message).toMatch(/1024/);
    // the alert record: fatal bad_certificate(42), under the client handshake keys
    const out = c.output();
    const alert = openRecord(out.subarray(CCS.length === 6 && out[0] === 20 ? 6 : 0), CLIENT_HS_KEY, CLIENT_HS_IV, 0);
    expect([...alert]).toEqual([2, 42, 21]);
  });

  it('a flipped bit in the server flight fails with bad_record_mac; a wrong Finished with decrypt_error', () => {
    let c = newClient();
    c.start();
    const bad = V.SERVER_FLIGHT_RECORD.slice();
    bad[300] ^= 1;
    c.feed(concat(V.SERVER_HELLO_RECORD, bad));
    expect(c.failure).toMatchObject({ code: 'TLS_PROTOCOL_ERROR', alert: 20 });

    const flight = openRecord(V.SERVER_FLIGHT_RECORD, V.SERVER_HS_KEY, V.SERVER_HS_IV, 0);
    flight[flight.length - 2] ^= 1; // last byte of the server's verify_data
    c = newClient();
    c.start();
    c.feed(concat(V.SERVER_HELLO_RECORD, sealRecord(flight, V.SERVER_HS_KEY, V.SERVER_HS_IV, 0)));
    expect(c.failure).toMatchObject({ alert: 51 });
    expect(c.failure?.message).toMatch(/Finished/);
  });
});
