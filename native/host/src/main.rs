//! wasi-connect-host: runs `dist/wasi-connect.component.wasm` (the bytes the npm package ships) on
//! wasmtime with wasmtime-wasi's WASI 0.2, and drives its export with real `wasi:io/poll`.
//!
//!   wasi-connect-host cases COMPONENT [--tls] [--only TEXT]   behaviour cases, one JSON line each
//!   wasi-connect-host list                                     the case names, as JSON
//!   wasi-connect-host bench COMPONENT [--quick] [--tls]        round trip / throughput / connects
//!                                                              (--tls: handshakes too; TLS_BENCH)
//!   wasi-connect-host run COMPONENT [--dir HOST[::GUEST]]... [--] ARGS...
//!                                                              runs a wasi:cli command component
//!                                                              (network inherited, names resolve)
//!
//! The peer's ports come in PEER_PORTS (JSON, as test/conformance/peer.mjs prints them); the TLS
//! peers in TLS_PEERS (JSON: { good, untrusted, tls12, ca: "path to the CA's PEM" }).

mod bench;
mod cases;
mod host;
mod run;

use std::collections::HashMap;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use wasmtime::error::Context;
use wasmtime::{Result, bail, format_err as anyhow};
use wasmtime::Engine;
use wasmtime::component::{Component, Linker};

use host::{Host, State};

struct Loaded {
    engine: Engine,
    component: Component,
    linker: Linker<State>,
}

static LOADED: OnceLock<Loaded> = OnceLock::new();

fn load(path: &str) -> Result<()> {
    let t0 = Instant::now();
    let engine = host::engine()?;
    let component = Component::from_file(&engine, path).with_context(|| format!("loading {path}"))?;
    let linker = host::linker(&engine)?;
    eprintln!("  compiled {path} in {:?}", t0.elapsed());
    LOADED.set(Loaded { engine, component, linker }).map_err(|_| anyhow!("loaded twice"))
}

/// A new instance of the loaded component in a store of its own.
pub fn fresh_host() -> Result<Host> {
    let l = LOADED.get().ok_or_else(|| anyhow!("no component loaded"))?;
    Host::new(&l.engine, &l.component, &l.linker)
}

fn peer_ports() -> Result<HashMap<String, u16>> {
    let text = std::env::var("PEER_PORTS").context("PEER_PORTS is not set (JSON of the peer's ports)")?;
    // the peer also passes other things (its CA's PEM): keep the ports
    let all: HashMap<String, serde_json::Value> = serde_json::from_str(&text)?;
    Ok(all.into_iter().filter_map(|(k, v)| v.as_u64().map(|p| (k, p as u16))).collect())
}

fn tls_peers() -> Result<Option<cases::TlsPeers>> {
    let Ok(text) = std::env::var("TLS_PEERS") else { return Ok(None) };
    let v: serde_json::Value = serde_json::from_str(&text)?;
    let port = |k: &str| v[k].as_u64().map(|p| p as u16).ok_or_else(|| anyhow!("TLS_PEERS.{k}"));
    let ca = v["ca"].as_str().ok_or_else(|| anyhow!("TLS_PEERS.ca"))?;
    // and the conformance peer's node:tls echo server (PEER_PORTS: its port "tls", its CA "tlsCa")
    let peer: serde_json::Value = serde_json::from_str(&std::env::var("PEER_PORTS").context("PEER_PORTS is not set")?)?;
    Ok(Some(cases::TlsPeers {
        good_port: port("good")?,
        untrusted_port: port("untrusted")?,
        tls12_port: port("tls12")?,
        ca_pem: std::fs::read(ca).with_context(|| format!("reading {ca}"))?,
        node_port: peer["tls"].as_u64().map(|p| p as u16).ok_or_else(|| anyhow!("PEER_PORTS.tls"))?,
        node_ca_pem: peer["tlsCa"].as_str().ok_or_else(|| anyhow!("PEER_PORTS.tlsCa"))?.as_bytes().to_vec(),
    }))
}

fn run_cases(component: &str, tls: bool, only: Option<&str>) -> Result<bool> {
    load(component)?;
    let mut ctx = cases::Ctx::new(peer_ports()?, if tls { tls_peers()? } else { None });
    let mut all_ok = true;
    for c in cases::CASES {
        if c.tls != tls || only.is_some_and(|o| !c.name.contains(o)) {
            continue;
        }
        let t0 = Instant::now();
        // each case gets a fresh instance and 30 s for all of its waits
        let outcome = fresh_host().and_then(|mut h| {
            h.set_deadline(Duration::from_secs(30));
            (c.run)(&mut h, &mut ctx)
        });
        let ms = t0.elapsed().as_millis() as u64;
        let line = match &outcome {
            Ok(()) => serde_json::json!({ "name": c.name, "ok": true, "ms": ms }),
            Err(e) => serde_json::json!({ "name": c.name, "ok": false, "ms": ms, "error": format!("{e:#}") }),
        };
        all_ok &= outcome.is_ok();
        println!("{line}");
    }
    Ok(all_ok)
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    let value = |f: &str| args.iter().position(|a| a == f).and_then(|i| args.get(i + 1)).map(String::as_str);
    match args.first().map(String::as_str) {
        Some("cases") => {
            let component = args.get(1).context("cases COMPONENT")?;
            let ok = run_cases(component, flag("--tls"), value("--only"))?;
            std::process::exit(if ok { 0 } else { 1 });
        }
        Some("list") => {
            let names: Vec<_> = cases::CASES.iter().map(|c| serde_json::json!({ "name": c.name, "tls": c.tls })).collect();
            println!("{}", serde_json::Value::Array(names));
            Ok(())
        }
        Some("bench") => {
            let component = args.get(1).context("bench COMPONENT")?;
            load(component)?;
            let r = if flag("--tls") {
                let server: serde_json::Value = serde_json::from_str(&std::env::var("TLS_BENCH").context("TLS_BENCH (bench/tls-server.mjs's JSON)")?)?;
                bench::measure_tls(&server, flag("--quick"))?
            } else {
                bench::measure(&peer_ports()?, flag("--quick"))?
            };
            println!("{r}");
            Ok(())
        }
        Some("run") => {
            let code = run::run_command(&args[1..])?;
            std::process::exit(code);
        }
        _ => bail!("usage: wasi-connect-host cases|list|bench|run ... (see src/main.rs)"),
    }
}
