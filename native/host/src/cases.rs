//! The behaviour cases of test/conformance/cases.mjs, on the component's raw interface and a native
//! WASI host. A case that also exists for the JavaScript hosts carries exactly the same name (the
//! test checks this), so results line up across hosts.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use wasmtime::{Result, bail, ensure, format_err as anyhow};
use sha2::{Digest, Sha256};

use crate::host::*;

/// The peer's ports (test/conformance/peer.mjs) and, for the TLS cases, the TLS peers.
pub struct Ctx {
    pub ports: HashMap<String, u16>,
    pub tls: Option<TlsPeers>,
    control: Option<BufReader<TcpStream>>,
}

/// Local TLS servers (openssl s_server) and the CA that issued their certificates.
pub struct TlsPeers {
    /// Certificate for "localhost" and 127.0.0.1, issued by `ca_pem`.
    pub good_port: u16,
    /// A self-signed certificate that no anchor vouches for.
    pub untrusted_port: u16,
    /// The good certificate on a TLS 1.2-only server (`-tls1_2`).
    pub tls12_port: u16,
    pub ca_pem: Vec<u8>,
    /// The conformance peer's node:tls echo server (TLS 1.3; tickets after full handshakes only)
    /// and the CA of its chain.
    pub node_port: u16,
    pub node_ca_pem: Vec<u8>,
}

impl Ctx {
    pub fn new(ports: HashMap<String, u16>, tls: Option<TlsPeers>) -> Ctx {
        Ctx { ports, tls, control: None }
    }

    pub fn port(&self, name: &str) -> Result<u16> {
        self.ports.get(name).copied().filter(|&p| p != 0).ok_or_else(|| anyhow!("the peer has no '{name}' port"))
    }

    /// A command on the peer's control port ("events <port>", "release <port>"): its JSON reply.
    pub fn control(&mut self, cmd: &str) -> Result<serde_json::Value> {
        if self.control.is_none() {
            let s = TcpStream::connect(("127.0.0.1", self.port("control")?))?;
            s.set_read_timeout(Some(Duration::from_secs(10)))?;
            self.control = Some(BufReader::new(s));
        }
        let c = self.control.as_mut().unwrap();
        c.get_mut().write_all(format!("{cmd}\n").as_bytes())?;
        let mut line = String::new();
        c.read_line(&mut line)?;
        Ok(serde_json::from_str(&line)?)
    }

    /// The peer's log of the connection from `local` ("127.0.0.1:port"), once it shows our FIN.
    fn events_after_our_fin(&mut self, local: &str) -> Result<Vec<String>> {
        let port = local.rsplit(':').next().unwrap_or("0").to_string();
        let mut ev = Vec::new();
        for _ in 0..200 {
            let v = self.control(&format!("events {port}"))?;
            ev = v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default();
            if ev.iter().any(|e| e == "end") {
                break;
            }
            std::thread::yield_now();
        }
        Ok(ev)
    }
}

pub fn pattern(n: usize, seed: usize) -> Vec<u8> {
    (0..n).map(|i| ((i * 7 + seed) % 251) as u8).collect()
}

fn expect_code(r: Result<(), SocketError>, code: &str, what: &str) -> Result<SocketError> {
    match r {
        Ok(()) => bail!("{what}: expected a SocketError {code}, got success"),
        Err(e) => {
            ensure!(code_name(e.code) == code, "{what}: expected {code}, got {}", describe(&e));
            Ok(e)
        }
    }
}

/// TLS on, verified against the TLS peers' CA (the name from the host unless `server_name`).
fn verified_tls(server_name: Option<&str>, t: &TlsPeers) -> ConnectOptions {
    ConnectOptions {
        secure_transport: SecureTransport::On,
        allow_half_open: false,
        connect_timeout_ms: 0,
        tls: tls_options(server_name, &[], vec![t.ca_pem.clone()], TlsFlags::empty()),
    }
}

/// openssl s_server -rev answers each line reversed: sends `line` and a newline, checks the answer.
fn reversed_line(h: &mut Host, s: Sock, line: &str) -> Result<()> {
    h.write_all(s, format!("{line}\n").as_bytes())?.map_err(|e| anyhow!(describe(&e)))?;
    let back = h.read_exactly(s, line.len() + 1)?;
    let want: String = line.chars().rev().chain(std::iter::once('\n')).collect();
    ensure!(back == want.as_bytes(), "reply {:?} to {line:?}", String::from_utf8_lossy(&back));
    Ok(())
}

fn open_err(h: &mut Host, s: Sock) -> Result<Result<(), SocketError>> {
    Ok(h.wait_open(s)?.map(|_| ()))
}

type CaseFn = fn(&mut Host, &mut Ctx) -> Result<()>;

pub struct Case {
    pub name: &'static str,
    pub tls: bool,
    pub run: CaseFn,
}

const fn case(name: &'static str, run: CaseFn) -> Case {
    Case { name, tls: false, run }
}
const fn tls_case(name: &'static str, run: CaseFn) -> Case {
    Case { name, tls: true, run }
}

pub const CASES: &[Case] = &[
    case("opened resolves SocketInfo with host:port addresses (IPv4, \"host:port\" string)", |h, c| {
        let echo = c.port("echo")?;
        let (host, port) = h.parse_address(&format!("127.0.0.1:{echo}"))?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(host == "127.0.0.1" && port == echo, "parse-address gave {host} {port}");
        let s = h.connect(&host, port, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        ensure!(info.remote_address == format!("127.0.0.1:{echo}"), "remoteAddress {}", info.remote_address);
        let local = info.local_address.strip_prefix("127.0.0.1:").and_then(|p| p.parse::<u16>().ok());
        ensure!(local.is_some(), "localAddress {}", info.local_address);
        ensure!(info.alpn.is_none(), "alpn {:?}", info.alpn);
        h.close(s)
    }),
    case("IPv6: \"[::1]:port\", { hostname: \"::1\" } and { hostname: \"[::1]\" } all connect", |h, c| {
        let p6 = c.port("echo6")?;
        let (host, port) = h.parse_address(&format!("[::1]:{p6}"))?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(host == "::1" && port == p6, "parse-address gave {host} {port}");
        for name in ["::1", "[::1]"] {
            let s = h.connect(name, p6, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
            let info = h.open(s)?;
            ensure!(info.remote_address == format!("[::1]:{p6}"), "remoteAddress {}", info.remote_address);
            ensure!(info.local_address.starts_with("[::1]:"), "localAddress {}", info.local_address);
            h.close(s)?;
        }
        Ok(())
    }),
    case("a hostname is resolved and each address tried in turn (localhost)", |h, c| {
        let echo = c.port("echo")?;
        let s = h.connect("localhost", echo, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        ensure!(info.remote_address == format!("127.0.0.1:{echo}"), "remoteAddress {}", info.remote_address);
        h.close(s)
    }),
    case("echo of 64 KiB arrives intact", |h, c| {
        let s = h.connect("127.0.0.1", c.port("echo")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.open(s)?;
        let data = pattern(65536, 0);
        h.write_all(s, &data)?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(h.read_exactly(s, data.len())? == data, "bytes intact");
        h.close(s)
    }),
    case("writes made before the connection opens are sent after it opens", |h, c| {
        let s = h.connect("127.0.0.1", c.port("echo")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        // before any poll-open: the component takes the bytes into its buffer
        let r = h.write(s, b"early bird")?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(r.accepted == 10, "accepted {}", r.accepted);
        h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(h.read_exactly(s, 10)? == b"early bird", "echoed");
        h.open(s)?;
        h.close(s)
    }),
    case("one 16 MiB write arrives intact while the peer echoes it back", |h, c| {
        let s = h.connect("127.0.0.1", c.port("echo")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.open(s)?;
        let data = pattern(16 << 20, 3);
        let back = echo_interleaved(h, s, &data)?;
        ensure!(back.len() == data.len() && back == data, "echoed bytes equal the written ones");
        h.close(s)
    }),
    case("a refused port rejects opened and closed with one SocketError (CONNECTION_REFUSED), erroring both streams", |h, c| {
        let s = h.connect("127.0.0.1", c.port("refused")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        let e1 = expect_code(open_err(h, s)?, "CONNECTION_REFUSED", "opened")?;
        match h.read(s, 100)? {
            Err(ReadEnd::Failed(e)) => ensure!(e.code == e1.code && e.message == e1.message, "read: {}", describe(&e)),
            other => bail!("read after the failure: {other:?}"),
        }
        let e3 = expect_code(h.write(s, b"x")?.map(|_| ()), "CONNECTION_REFUSED", "write")?;
        ensure!(e3.message == e1.message, "the same error");
        h.close(s)
    }),
    case("an unresolvable name rejects opened with SocketError NAME_UNRESOLVABLE", |h, _| {
        let s = h.connect("no-such-host.invalid", 80, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        expect_code(open_err(h, s)?, "NAME_UNRESOLVABLE", "opened")?;
        h.close(s)
    }),
    case("malformed addresses and ports throw SocketError INVALID_ADDRESS synchronously", |h, _| {
        let bad = [
            "", "localhost", "localhost:", ":80", "::1:80", "[::1]80", "[::1:80", "[example.com]:80", "host:0",
            "host:65536", "host:-1", "host:+80", "host:8o", "host: 80", "ex ample.com:80", "1.2.3.256:80",
            "b\u{fc}cher.example:80", "a..b:80",
        ];
        for a in bad {
            expect_code(h.parse_address(a)?.map(|_| ()), "INVALID_ADDRESS", &format!("parse-address {a:?}"))?;
        }
        for (host, port) in [("", 80), ("a", 0), ("1::2::3", 80), ("a b", 80)] {
            let r = h.connect(host, port, &plain_options(false))?;
            expect_code(r.map(|_| ()), "INVALID_ADDRESS", &format!("connect {host:?} {port}"))?;
        }
        Ok(())
    }),
    case("allowHalfOpen false: peer FIN ends the readable, closes the writable, sends our FIN and resolves closed", |h, c| {
        let s = h.connect("127.0.0.1", c.port("fin")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        let body = h.read_to_end(s)?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(body == b"bye", "data before FIN: {:?}", String::from_utf8_lossy(&body));
        // our FIN follows at once (nothing was buffered); writing has ended
        h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
        expect_code(h.write(s, b"x")?.map(|_| ()), "INVALID_STATE", "write after peer FIN")?;
        let ev = c.events_after_our_fin(&info.local_address)?;
        ensure!(ev == ["accepted", "end"], "the peer saw our FIN and no data: {ev:?}");
        h.close(s)
    }),
    case("allowHalfOpen true: after peer FIN the writable still sends, closed stays pending until close()", |h, c| {
        let s = h.connect("127.0.0.1", c.port("fin")?, &plain_options(true))?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        let body = h.read_to_end(s)?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(body == b"bye", "data before FIN");
        h.write_all(s, b"late")?.map_err(|e| anyhow!(describe(&e)))?;
        h.shutdown_write(s)?.map_err(|e| anyhow!(describe(&e)))?;
        h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
        let ev = c.events_after_our_fin(&info.local_address)?;
        ensure!(ev == ["accepted", "data:late", "end"], "the peer got our late data, then our FIN: {ev:?}");
        h.close(s)
    }),
    case("closing the writable half-closes: the peer sees FIN and can still answer", |h, c| {
        let s = h.connect("127.0.0.1", c.port("half")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.write_all(s, b"question")?.map_err(|e| anyhow!(describe(&e)))?;
        h.shutdown_write(s)?.map_err(|e| anyhow!(describe(&e)))?;
        h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
        let body = h.read_to_end(s)?.map_err(|e| anyhow!(describe(&e)))?;
        ensure!(body == b"got:question", "answer after our FIN: {:?}", String::from_utf8_lossy(&body));
        h.close(s)
    }),
    case("a peer RST errors the streams and rejects closed with SocketError CONNECTION_RESET", |h, c| {
        let s = h.connect("127.0.0.1", c.port("rst")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.open(s)?;
        h.write_all(s, b"trigger")?.map_err(|e| anyhow!(describe(&e)))?;
        let r = h.read_to_end(s)?;
        expect_code(r.map(|_| ()), "CONNECTION_RESET", "read")?;
        h.close(s)
    }),
    case("writing faster than the peer reads applies backpressure, then everything arrives intact", |h, c| {
        let s = h.connect("127.0.0.1", c.port("sink")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        let chunk = 64 * 1024;
        let total = 64 << 20;
        let mut hash = Sha256::new();
        let mut off = 0usize;
        // write until the component and the host stop taking bytes
        loop {
            let piece = pattern(chunk, off / chunk);
            let r = h.write(s, &piece)?.map_err(|e| anyhow!(describe(&e)))?;
            ensure!(r.accepted == 0 || r.accepted as usize == chunk, "a partial take ({}) is not expected at a chunk boundary here", r.accepted);
            if r.accepted > 0 {
                hash.update(&piece);
                off += chunk;
                continue;
            }
            // nothing taken: the write pollable must not become ready while the peer reads nothing
            let wp = h.subscribe_write(s)?;
            let t = h.timer(Duration::from_millis(200))?;
            let ready = h.poll_and_drop(vec![wp, t])?;
            if ready == [1] {
                break;
            }
            ensure!(off < total, "wrote everything without the peer reading");
        }
        ensure!(off < 32 << 20, "backpressure held: {off} bytes accepted with the peer not reading");
        let buffered = h.buffered_amount(s)?;
        ensure!(buffered <= 256 * 1024, "the component buffers at most 256 KiB ({buffered})");
        c.control(&format!("release {}", info.local_address.rsplit(':').next().unwrap()))?;
        while off < total {
            let piece = pattern(chunk, off / chunk);
            h.write_all(s, &piece)?.map_err(|e| anyhow!(describe(&e)))?;
            hash.update(&piece);
            off += chunk;
        }
        h.shutdown_write(s)?.map_err(|e| anyhow!(describe(&e)))?;
        h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
        let reply = String::from_utf8(h.read_to_end(s)?.map_err(|e| anyhow!(describe(&e)))?)?;
        let want = format!("count:{total} sha256:{:x}", hash.finalize());
        ensure!(reply == want, "sink reply {reply}, expected {want}");
        h.close(s)
    }),
    case("1,000 sockets open at once in one process each echo 64 KiB intact", |h, c| {
        thousand_sockets(h, c.port("echo")?, 1000, 65536)
    }),
    case("a trap inside the component is contained: the call fails and the host goes on", |h, c| {
        ensure!(h.force_trap().is_err(), "force-trap returned normally");
        // the instance is poisoned (wasmtime refuses to enter it again) ...
        ensure!(h.parse_address("a:1").is_err(), "a call after the trap succeeded");
        // ... and a fresh instance in the same host process works
        *h = crate::fresh_host()?;
        let s = h.connect("127.0.0.1", c.port("echo")?, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.open(s)?;
        h.close(s)
    }),
    // ---- TLS (needs the TLS peers; see test/native.test.ts)
    tls_case("TLS: a verified TLS 1.3 handshake to openssl s_server, data both ways, tls-info", |h, c| {
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        let port = t.good_port;
        let opts = verified_tls(None, t);
        let s = h.connect("localhost", port, &opts)?.map_err(|e| anyhow!(describe(&e)))?;
        let info = h.open(s)?;
        ensure!(info.remote_address == format!("127.0.0.1:{port}"), "remoteAddress {}", info.remote_address);
        let tls = h.tls_info(s)?.ok_or_else(|| anyhow!("tls-info is none after the handshake"))?;
        ensure!(tls.version == "TLSv1.3", "version {}", tls.version);
        ensure!(tls.verified, "verified");
        ensure!(!tls.peer_certificates.is_empty(), "peer certificates");
        ensure!(tls.chain_subjects.len() >= 2, "chain subjects {:?}", tls.chain_subjects);
        reversed_line(h, s, "hello tls")?;
        h.close(s)
    }),
    tls_case("TLS 1.2: a TLS 1.2-only openssl s_server is verified the same way, data both ways, tls-info says TLSv1.2", |h, c| {
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        let s = h.connect("localhost", t.tls12_port, &verified_tls(None, t))?.map_err(|e| anyhow!(describe(&e)))?;
        h.open(s)?;
        let tls = h.tls_info(s)?.ok_or_else(|| anyhow!("tls-info is none after the handshake"))?;
        ensure!(tls.version == "TLSv1.2", "version {}", tls.version);
        ensure!(tls.cipher_suite.starts_with("TLS_ECDHE_ECDSA_WITH_"), "cipher suite {}", tls.cipher_suite);
        ensure!(tls.verified && !tls.resumed, "verified {} resumed {}", tls.verified, tls.resumed);
        reversed_line(h, s, "hello tls12")?;
        h.close(s)
    }),
    tls_case("TLS 1.3 resumption: the next connection resumes from the first's ticket (tls-info resumed, verified); no-resumption does not", |h, c| {
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        // a line answered: the server's tickets come before its answer, so they are stored by then
        let exchange = |h: &mut Host, flags: TlsFlags| -> Result<TlsInfo> {
            let mut opts = verified_tls(None, t);
            opts.tls.switches = flags;
            let s = h.connect("localhost", t.good_port, &opts)?.map_err(|e| anyhow!(describe(&e)))?;
            h.open(s)?;
            let info = h.tls_info(s)?.ok_or_else(|| anyhow!("tls-info is none after the handshake"))?;
            reversed_line(h, s, "again")?;
            h.close(s)?;
            Ok(info)
        };
        // this instance has no ticket for the server before its first full handshake
        *h = crate::fresh_host()?;
        let full = exchange(h, TlsFlags::empty())?;
        ensure!(!full.resumed, "the first connection resumed");
        let resumed = exchange(h, TlsFlags::empty())?;
        ensure!(resumed.resumed && resumed.verified, "second connection: resumed {} verified {}", resumed.resumed, resumed.verified);
        ensure!(resumed.chain_subjects == full.chain_subjects, "chain {:?} vs {:?}", resumed.chain_subjects, full.chain_subjects);
        let fresh = exchange(h, TlsFlags::NO_RESUMPTION)?;
        ensure!(!fresh.resumed, "no-resumption resumed");
        Ok(())
    }),
    tls_case("TLS 1.3: bytes written before the handshake completes leave with the client's Finished, so a resumed round trip does not wait for a delayed ACK", |h, c| {
        // wasmtime-wasi leaves Nagle on: a second small segment waits for the ACK of the first.
        // node:tls sends nothing after a resumed handshake (no new ticket), so that ACK is a
        // delayed one, ~40 ms. Finished and the data in one segment do not wait for it.
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        *h = crate::fresh_host()?;
        let opts = ConnectOptions {
            secure_transport: SecureTransport::On,
            allow_half_open: false,
            connect_timeout_ms: 0,
            tls: tls_options(None, &[], vec![t.node_ca_pem.clone()], TlsFlags::empty()),
        };
        let mut ms = Vec::new();
        // node:tls issues two tickets per full handshake, and a ticket is used once
        for i in 0..3 {
            let t0 = Instant::now();
            let s = h.connect("localhost", t.node_port, &opts)?.map_err(|e| anyhow!(describe(&e)))?;
            h.write_all(s, b"early")?.map_err(|e| anyhow!(describe(&e)))?;
            h.open(s)?;
            let resumed = h.tls_info(s)?.is_some_and(|x| x.resumed);
            ensure!(resumed == (i > 0), "connection {i}: resumed {resumed}");
            let back = h.read_exactly(s, 5)?;
            ensure!(back == b"early", "echo {:?}", String::from_utf8_lossy(&back));
            h.close(s)?;
            if i > 0 {
                ms.push(t0.elapsed().as_secs_f64() * 1000.0);
            }
        }
        ensure!(ms.iter().any(|&m| m < 25.0), "resumed round trips took {ms:?} ms (a delayed ACK is ~40 ms)");
        Ok(())
    }),
    tls_case("TLS: a certificate no anchor vouches for is refused with TLS_CERTIFICATE_UNTRUSTED", |h, c| {
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        let port = t.untrusted_port;
        let opts = verified_tls(None, t);
        let s = h.connect("localhost", port, &opts)?.map_err(|e| anyhow!(describe(&e)))?;
        expect_code(open_err(h, s)?, "TLS_CERTIFICATE_UNTRUSTED", "opened")?;
        h.close(s)
    }),
    tls_case("TLS: the wrong name is refused with TLS_HOSTNAME_MISMATCH", |h, c| {
        let t = c.tls.as_ref().ok_or_else(|| anyhow!("no TLS peers"))?;
        let port = t.good_port;
        let opts = verified_tls(Some("not-this-host.example"), t);
        let s = h.connect("127.0.0.1", port, &opts)?.map_err(|e| anyhow!(describe(&e)))?;
        expect_code(open_err(h, s)?, "TLS_HOSTNAME_MISMATCH", "opened")?;
        h.close(s)
    }),
];

/// Writes `data` and reads the echo at the same time (a peer that echoes stops reading when we
/// stop reading), waiting on both pollables when neither side can move.
pub fn echo_interleaved(h: &mut Host, s: Sock, data: &[u8]) -> Result<Vec<u8>> {
    let mut off = 0;
    let mut back = Vec::with_capacity(data.len());
    let mut flushed = false;
    while back.len() < data.len() {
        let mut progress = false;
        if off < data.len() {
            let end = (off + (256 << 10)).min(data.len());
            let r = h.write(s, &data[off..end])?.map_err(|e| anyhow!(describe(&e)))?;
            off += r.accepted as usize;
            progress |= r.accepted > 0;
            // `write` only queues behind bytes the component already holds: `flush` pushes them
            if r.buffered > 0 {
                h.flush(s)?.map_err(|e| anyhow!(describe(&e)))?;
            }
        } else if !flushed {
            flushed = h.flush(s)?.map_err(|e| anyhow!(describe(&e)))?;
            progress |= flushed;
        }
        match h.read(s, 1 << 20)? {
            Ok(ReadResult::Data(d)) => {
                back.extend_from_slice(&d);
                progress = true;
            }
            Ok(ReadResult::WouldBlock) => {}
            Err(ReadEnd::Eof) => bail!("input ended after {} of {} bytes", back.len(), data.len()),
            Err(ReadEnd::Failed(e)) => bail!("read: {}", describe(&e)),
        }
        if !progress {
            let mut ps = vec![h.subscribe_read(s)?];
            if off < data.len() || !flushed {
                ps.push(h.subscribe_write(s)?);
            }
            h.poll_and_drop(ps)?;
        }
    }
    Ok(back)
}

/// `n` sockets open at once, each echoing `size` bytes, all driven by one poll loop.
pub fn thousand_sockets(h: &mut Host, port: u16, n: usize, size: usize) -> Result<()> {
    struct S {
        sock: Sock,
        data: Vec<u8>,
        off: usize,
        back: Vec<u8>,
        open: bool,
    }
    let mut all = Vec::with_capacity(n);
    for i in 0..n {
        let sock = h.connect("127.0.0.1", port, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        all.push(S { sock, data: pattern(size, i), off: 0, back: Vec::new(), open: false });
    }
    let t0 = Instant::now();
    // open them all: collect every pending pollable, wait until any is ready, ask again
    loop {
        let mut ps = Vec::new();
        for s in all.iter_mut().filter(|s| !s.open) {
            match h.poll_open(s.sock)? {
                OpenStatus::Pending(p) => ps.extend(p),
                OpenStatus::Opened(_) => s.open = true,
                OpenStatus::Failed(e) => bail!("socket failed to open: {}", describe(&e)),
            }
        }
        if ps.is_empty() {
            break;
        }
        h.poll_and_drop(ps)?;
    }
    let opened = t0.elapsed();
    // echo on all of them at once
    loop {
        let mut ps = Vec::new();
        let mut done = 0;
        for s in all.iter_mut() {
            if s.back.len() == size {
                done += 1;
                continue;
            }
            let mut progress = false;
            if s.off < size {
                let r = h.write(s.sock, &s.data[s.off..])?.map_err(|e| anyhow!(describe(&e)))?;
                s.off += r.accepted as usize;
                progress |= r.accepted > 0;
                if r.buffered > 0 {
                    h.flush(s.sock)?.map_err(|e| anyhow!(describe(&e)))?;
                }
            } else if h.buffered_amount(s.sock)? > 0 {
                h.flush(s.sock)?.map_err(|e| anyhow!(describe(&e)))?;
            }
            match h.read(s.sock, 65536)? {
                Ok(ReadResult::Data(d)) => {
                    s.back.extend_from_slice(&d);
                    progress = true;
                }
                Ok(ReadResult::WouldBlock) => {}
                Err(e) => bail!("read: {e:?}"),
            }
            if !progress {
                ps.push(h.subscribe_read(s.sock)?);
                if s.off < size || h.buffered_amount(s.sock)? > 0 {
                    ps.push(h.subscribe_write(s.sock)?);
                }
            }
        }
        if done == n {
            break;
        }
        if !ps.is_empty() {
            h.poll_and_drop(ps)?;
        }
    }
    let bad = all.iter().filter(|s| s.back != s.data).count();
    ensure!(bad == 0, "{bad} of {n} sockets echoed wrong bytes");
    for s in all {
        h.close(s.sock)?;
    }
    eprintln!("  {n} sockets: opened in {:?}, echoed in {:?}", opened, t0.elapsed());
    Ok(())
}
