//! The plaintext benchmark of bench/net.mjs on this host: the same server, the same sizes, the
//! same warm-up and best-of rounds, reported in the same JSON shape.

use std::collections::HashMap;
use std::time::Instant;

use wasmtime::{Result, bail, ensure, format_err as anyhow};

use crate::host::*;

/// Sends `total` bytes to the sink in `chunk`s, half-closes, checks the count it answers with.
fn throughput(h: &mut Host, port: u16, opts: &ConnectOptions, total: usize, chunk: usize) -> Result<f64> {
    let s = h.connect("127.0.0.1", port, opts)?.map_err(|e| anyhow!(describe(&e)))?;
    h.open(s)?;
    let buf = vec![97u8; chunk];
    let t0 = Instant::now();
    let mut off = 0;
    while off < total {
        h.write_all(s, &buf)?.map_err(|e| anyhow!(describe(&e)))?;
        off += chunk;
    }
    h.shutdown_write(s)?.map_err(|e| anyhow!(describe(&e)))?;
    h.flush_all(s)?.map_err(|e| anyhow!(describe(&e)))?;
    let reply = h.read_to_end(s)?.map_err(|e| anyhow!(describe(&e)))?;
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    ensure!(String::from_utf8_lossy(&reply) == total.to_string(), "sink counted {:?}", String::from_utf8_lossy(&reply));
    h.close(s)?;
    Ok(ms)
}

/// n echoes of a `size`-byte message, one at a time.
fn round_trips(h: &mut Host, port: u16, opts: &ConnectOptions, n: usize, size: usize) -> Result<f64> {
    let s = h.connect("127.0.0.1", port, opts)?.map_err(|e| anyhow!(describe(&e)))?;
    h.open(s)?;
    let msg = vec![98u8; size];
    // one read pollable for the life of the socket (reusable, level-triggered)
    let rp = h.subscribe_read(s)?;
    let t0 = Instant::now();
    for _ in 0..n {
        h.write_all(s, &msg)?.map_err(|e| anyhow!(describe(&e)))?;
        let mut got = 0;
        while got < size {
            match h.read(s, 65536)? {
                Ok(ReadResult::Data(d)) => got += d.len(),
                Ok(ReadResult::WouldBlock) => {
                    h.poll(std::slice::from_ref(&rp))?;
                }
                Err(e) => return Err(anyhow!("read: {e:?}")),
            }
        }
    }
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    h.drop_pollable(rp)?;
    h.close(s)?;
    Ok(ms)
}

fn connects(h: &mut Host, port: u16, n: usize) -> Result<f64> {
    let t0 = Instant::now();
    for _ in 0..n {
        let s = h.connect("127.0.0.1", port, &plain_options(false))?.map_err(|e| anyhow!(describe(&e)))?;
        h.write_all(s, &[1])?.map_err(|e| anyhow!(describe(&e)))?;
        h.read_some(s, 16)?.map_err(|e| anyhow!(describe(&e)))?;
        h.close(s)?;
    }
    Ok(t0.elapsed().as_secs_f64() * 1000.0)
}

fn best(rounds: usize, mut f: impl FnMut() -> Result<f64>) -> Result<f64> {
    let mut b = f64::INFINITY;
    for _ in 0..rounds {
        b = b.min(f()?);
    }
    Ok(b)
}

pub fn measure(ports: &HashMap<String, u16>, quick: bool) -> Result<serde_json::Value> {
    let echo = *ports.get("echo").ok_or_else(|| anyhow!("no echo port"))?;
    let sink = *ports.get("sink").ok_or_else(|| anyhow!("no sink port"))?;
    let mut h = crate::fresh_host()?;
    let total = if quick { 32 << 20 } else { 256 << 20 };
    let chunk = 64 * 1024;
    let rt_n = if quick { 1000 } else { 5000 };
    let c_n = if quick { 300 } else { 2000 };
    let rounds = if quick { 2 } else { 3 };
    let plain = plain_options(false);
    let cold = round_trips(&mut h, echo, &plain, 1000, 32)?;
    for _ in 0..(if quick { 1 } else { 3 }) {
        throughput(&mut h, sink, &plain, 64 << 20, chunk)?;
        round_trips(&mut h, echo, &plain, 10000, 32)?;
        connects(&mut h, echo, 1000)?;
    }
    let t = best(rounds, || throughput(&mut h, sink, &plain, total, chunk))?;
    let r = best(rounds, || round_trips(&mut h, echo, &plain, rt_n, 32))?;
    let c = best(rounds, || connects(&mut h, echo, c_n))?;
    Ok(serde_json::json!({
        "name": "wasmtime (native host)",
        "mbps": total as f64 / 1e6 / (t / 1000.0),
        "rttUs": r * 1000.0 / rt_n as f64,
        "connectsPerSec": c_n as f64 / (c / 1000.0),
        "coldRttUs": cold * 1000.0 / 1000.0,
        "total": total, "chunk": chunk, "rtN": rt_n, "cN": c_n,
    }))
}

// ---------------------------------------------------------------- TLS (bench/tls.mjs's measurements)
fn tls_opts(ca: &str, resume: bool) -> ConnectOptions {
    let flags = if resume { TlsFlags::empty() } else { TlsFlags::NO_RESUMPTION };
    ConnectOptions {
        secure_transport: SecureTransport::On,
        allow_half_open: true,
        tls: tls_options(Some("localhost"), &[], vec![ca.as_bytes().to_vec()], flags),
        connect_timeout_ms: 0,
    }
}

/// One connection: connect, 1 B written at once (before the handshake completes, as bench/tls.mjs
/// writes it), handshake, its echo, close. With `must_resume`, a full handshake is an error.
fn tls_ping(h: &mut Host, port: u16, opts: &ConnectOptions, must_resume: bool) -> Result<()> {
    let s = h.connect("127.0.0.1", port, opts)?.map_err(|e| anyhow!(describe(&e)))?;
    h.write_all(s, &[1])?.map_err(|e| anyhow!(describe(&e)))?;
    h.open(s)?;
    if must_resume && !h.tls_info(s)?.is_some_and(|t| t.resumed) {
        bail!("wasmtime host: a connection that should have resumed did a full handshake");
    }
    h.read_some(s, 16)?.map_err(|e| anyhow!(describe(&e)))?;
    h.close(s)
}

/// n x (connect, handshake, 1 B echo, close), timed; full handshakes unless `resume`. Resumed ones
/// as bench/tls.mjs measures them: an unmeasured full handshake stores the server's two tickets
/// (node:tls issues none on a resumed connection, and a ticket is used once), then two timed
/// connections resume from them, and again; a timed one that does not resume is an error.
fn tls_handshakes(h: &mut Host, port: u16, ca: &str, n: usize, resume: bool) -> Result<f64> {
    let opts = tls_opts(ca, resume);
    let mut ms = 0.0;
    let mut done = 0;
    while done < n {
        if resume {
            tls_ping(h, port, &opts, false)?;
        }
        let batch = if resume { 2.min(n - done) } else { n - done };
        let t0 = Instant::now();
        for _ in 0..batch {
            tls_ping(h, port, &opts, resume)?;
        }
        ms += t0.elapsed().as_secs_f64() * 1000.0;
        done += batch;
    }
    Ok(ms)
}

/// bench/tls.mjs's measurements against bench/tls-server.mjs (`{ ports, ca }` in TLS_BENCH).
pub fn measure_tls(server: &serde_json::Value, quick: bool) -> Result<serde_json::Value> {
    let port = |k: &str| server["ports"][k].as_u64().map(|p| p as u16).ok_or_else(|| anyhow!("no port {k}"));
    let ca_ec = server["ca"]["ec"].as_str().ok_or_else(|| anyhow!("no ca.ec"))?.to_string();
    let ca_rsa = server["ca"]["rsa"].as_str().ok_or_else(|| anyhow!("no ca.rsa"))?.to_string();
    let (chacha_sink, chacha_echo, ec_echo, rsa_echo) = (port("chachaSink")?, port("chachaEcho")?, port("ecEcho")?, port("rsaEcho")?);
    let mut h = crate::fresh_host()?;
    let total = if quick { 32 << 20 } else { 128 << 20 };
    let chunk = 64 * 1024;
    let h_n = if quick { 100 } else { 400 };
    let rt_n = if quick { 1000 } else { 5000 };
    let rounds = if quick { 2 } else { 3 };
    // full handshakes (no resumption) on the ECDSA chain for the bulk and round-trip rows
    let full_ec = tls_opts(&ca_ec, false);
    throughput(&mut h, chacha_sink, &full_ec, 16 << 20, chunk)?;
    tls_handshakes(&mut h, ec_echo, &ca_ec, 50, false)?;
    tls_handshakes(&mut h, rsa_echo, &ca_rsa, 50, false)?;
    round_trips(&mut h, chacha_echo, &full_ec, 2000, 32)?;
    tls_handshakes(&mut h, ec_echo, &ca_ec, 20, true)?;
    let t = best(rounds, || throughput(&mut h, chacha_sink, &full_ec, total, chunk))?;
    let ec = best(rounds, || tls_handshakes(&mut h, ec_echo, &ca_ec, h_n, false))?;
    let rsa = best(rounds, || tls_handshakes(&mut h, rsa_echo, &ca_rsa, h_n, false))?;
    let r = best(rounds, || round_trips(&mut h, chacha_echo, &full_ec, rt_n, 32))?;
    let res = best(rounds, || tls_handshakes(&mut h, ec_echo, &ca_ec, h_n, true))?;
    Ok(serde_json::json!({
        "name": "wasmtime (native host)",
        "mbps": total as f64 / 1e6 / (t / 1000.0),
        "ecHandshakeMs": ec / h_n as f64,
        "rsaHandshakeMs": rsa / h_n as f64,
        "resumedHandshakeMs": res / h_n as f64,
        "rttUs": r * 1000.0 / rt_n as f64,
        "total": total, "hN": h_n, "rtN": rt_n,
    }))
}
