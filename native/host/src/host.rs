//! A native WASI host for `wasi-connect.component.wasm` on wasmtime: wasmtime-wasi's own WASI 0.2
//! (`wasi:sockets`, `wasi:io`, `wasi:clocks`, `wasi:random`) under the component, and this file's
//! thin layer over the component's export `wasi-connect:sockets/sockets@0.1.0`.
//!
//! The component never blocks: where a call cannot make progress it hands back pollables. This
//! host waits on them with `wasi:io/poll.poll`, the very function a WASI guest would call (here
//! the host's own implementation of it, on the store's resource table).

use std::time::{Duration, Instant};

use wasmtime::error::Context;
use wasmtime::{Result, bail, format_err as anyhow};
use wasmtime::component::{Component, Linker, Resource, ResourceAny, ResourceTable};
use wasmtime::{Config, Engine, Store};
use wasmtime_wasi::p2::bindings::sync::io::poll::{Host as PollHost, HostPollable};
use wasmtime_wasi::p2::bindings::clocks::monotonic_clock::Host as ClockHost;
use wasmtime_wasi::clocks::WasiClocksView;
use wasmtime_wasi::p2::DynPollable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

pub mod bindings {
    // Typed access to the component's exports. The world here names only what the host calls
    // (the component's own world, wit/world.wit, also lists the WASI imports, which the linker
    // gets from wasmtime-wasi); a `pollable` the component returns is wasmtime-wasi's own
    // resource, which `poll` below accepts.
    wasmtime::component::bindgen!({
        path: "../../wit",
        inline: "
            package wasi-connect:native-host;
            world native-host {
                export wasi-connect:sockets/sockets@0.1.0;
                export wasi-connect:sockets/diagnostics@0.1.0;
            }
        ",
        world: "wasi-connect:native-host/native-host",
        with: {
            "wasi:io": wasmtime_wasi::p2::bindings::sync::io,
        },
    });
}

pub use bindings::exports::wasi_connect::sockets::sockets::{
    ConnectOptions, ErrorCode, OpenStatus, ReadEnd, ReadResult, SecureTransport, SocketError,
    SocketInfo, TlsFlags, TlsInfo, TlsOptions, TlsVersion, WriteResult,
};

pub type Pollable = Resource<DynPollable>;

/// What the store holds: the WASI context and the resource table every WASI handle lives in.
pub struct State {
    wasi: WasiCtx,
    table: ResourceTable,
}

impl WasiView for State {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView { ctx: &mut self.wasi, table: &mut self.table }
    }
}

/// Compiles components for this host (cranelift; one engine per process).
pub fn engine() -> Result<Engine> {
    let mut config = Config::new();
    config.wasm_component_model(true);
    Engine::new(&config)
}

/// A WASI context with the permissions `wasmtime run -S inherit-network -S allow-ip-name-lookup`
/// (`wasmtime run` allows TCP by default; wasmtime-wasi 48 does not, hence `allow_tcp`)
/// gives: every address is allowed (the tests only ever use loopback), names resolve.
pub fn wasi_builder() -> wasmtime_wasi::WasiCtxBuilder {
    let mut b = WasiCtx::builder();
    b.inherit_network().allow_tcp(true).allow_ip_name_lookup(true);
    b
}

pub fn new_store(engine: &Engine, wasi: WasiCtx) -> Store<State> {
    Store::new(engine, State { wasi, table: ResourceTable::new() })
}

/// A linker with wasmtime-wasi's WASI 0.2 (synchronous flavour: its own tokio runtime inside).
pub fn linker(engine: &Engine) -> Result<Linker<State>> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_sync(&mut linker)?;
    Ok(linker)
}

/// An error from the component, as the JavaScript binding names it (`CONNECTION_REFUSED`).
pub fn code_name(c: ErrorCode) -> String {
    // bindgen's Debug prints "ErrorCode::ConnectionRefused"
    let dbg = format!("{c:?}");
    let name = dbg.rsplit("::").next().unwrap_or(&dbg);
    let mut out = String::new();
    for (i, ch) in name.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(ch.to_ascii_uppercase());
    }
    out
}

pub fn describe(e: &SocketError) -> String {
    format!("SocketError {}: {}", code_name(e.code), e.message)
}

pub fn plain_options(allow_half_open: bool) -> ConnectOptions {
    ConnectOptions {
        secure_transport: SecureTransport::Off,
        allow_half_open,
        tls: tls_options(None, &[], vec![], TlsFlags::empty()),
        connect_timeout_ms: 0,
    }
}

pub fn tls_options(server_name: Option<&str>, alpn: &[&str], ca: Vec<Vec<u8>>, switches: TlsFlags) -> TlsOptions {
    TlsOptions {
        server_name: server_name.map(str::to_string),
        alpn: alpn.iter().map(|s| s.to_string()).collect(),
        ca,
        switches,
        min_version: TlsVersion::Tls12,
        max_version: TlsVersion::Tls13,
    }
}

/// One instance of the component in its own store, with a deadline for every wait.
pub struct Host {
    pub store: Store<State>,
    api: bindings::NativeHost,
    deadline: Instant,
}

/// A socket of the component (an owned `socket` resource).
#[derive(Clone, Copy)]
pub struct Sock(pub ResourceAny);

impl Host {
    pub fn new(engine: &Engine, component: &Component, linker: &Linker<State>) -> Result<Host> {
        let mut store = new_store(engine, wasi_builder().build());
        let api = bindings::NativeHost::instantiate(&mut store, component, linker)
            .context("instantiating the component")?;
        Ok(Host { store, api, deadline: Instant::now() + Duration::from_secs(3600) })
    }

    /// Every later wait fails once `d` from now has passed.
    pub fn set_deadline(&mut self, d: Duration) {
        self.deadline = Instant::now() + d;
    }

    pub fn force_trap(&mut self) -> Result<()> {
        let d = self.api.wasi_connect_sockets_diagnostics();
        d.call_force_trap(&mut self.store)
    }

    pub fn parse_address(&mut self, a: &str) -> Result<Result<(String, u16), SocketError>> {
        let api = self.api.wasi_connect_sockets_sockets();
        api.call_parse_address(&mut self.store, a)
    }

    pub fn connect(&mut self, host: &str, port: u16, opts: &ConnectOptions) -> Result<Result<Sock, SocketError>> {
        let api = self.api.wasi_connect_sockets_sockets();
        Ok(api.call_connect(&mut self.store, host, port, opts)?.map(Sock))
    }

    pub fn add_trust_anchors(&mut self, pem: &[u8]) -> Result<Result<u32, SocketError>> {
        let api = self.api.wasi_connect_sockets_sockets();
        api.call_add_trust_anchors(&mut self.store, pem)
    }

    // ---- the socket's methods
    pub fn poll_open(&mut self, s: Sock) -> Result<OpenStatus> {
        self.api.wasi_connect_sockets_sockets().socket().call_poll_open(&mut self.store, s.0)
    }
    pub fn read(&mut self, s: Sock, max: u32) -> Result<Result<ReadResult, ReadEnd>> {
        self.api.wasi_connect_sockets_sockets().socket().call_read(&mut self.store, s.0, max)
    }
    pub fn write(&mut self, s: Sock, data: &[u8]) -> Result<Result<WriteResult, SocketError>> {
        self.api.wasi_connect_sockets_sockets().socket().call_write(&mut self.store, s.0, data)
    }
    pub fn flush(&mut self, s: Sock) -> Result<Result<bool, SocketError>> {
        self.api.wasi_connect_sockets_sockets().socket().call_flush(&mut self.store, s.0)
    }
    pub fn buffered_amount(&mut self, s: Sock) -> Result<u32> {
        self.api.wasi_connect_sockets_sockets().socket().call_buffered_amount(&mut self.store, s.0)
    }
    pub fn subscribe_read(&mut self, s: Sock) -> Result<Pollable> {
        self.api.wasi_connect_sockets_sockets().socket().call_subscribe_read(&mut self.store, s.0)
    }
    pub fn subscribe_write(&mut self, s: Sock) -> Result<Pollable> {
        self.api.wasi_connect_sockets_sockets().socket().call_subscribe_write(&mut self.store, s.0)
    }
    pub fn shutdown_write(&mut self, s: Sock) -> Result<Result<(), SocketError>> {
        self.api.wasi_connect_sockets_sockets().socket().call_shutdown_write(&mut self.store, s.0)
    }
    pub fn start_tls(&mut self, s: Sock, o: &TlsOptions) -> Result<Result<Sock, SocketError>> {
        Ok(self.api.wasi_connect_sockets_sockets().socket().call_start_tls(&mut self.store, s.0, o)?.map(Sock))
    }
    pub fn tls_info(&mut self, s: Sock) -> Result<Option<TlsInfo>> {
        self.api.wasi_connect_sockets_sockets().socket().call_tls_info(&mut self.store, s.0)
    }
    /// `close`, then drop the resource (the component's destructor).
    pub fn close(&mut self, s: Sock) -> Result<()> {
        self.api.wasi_connect_sockets_sockets().socket().call_close(&mut self.store, s.0)?;
        s.0.resource_drop(&mut self.store)
    }

    // ---- waiting: wasi:io/poll on the host's resource table
    /// A monotonic-clock pollable, ready after `d`.
    pub fn timer(&mut self, d: Duration) -> Result<Pollable> {
        let nanos = d.as_nanos().min(u64::MAX as u128) as u64;
        self.store.data_mut().clocks().subscribe_duration(nanos)
    }

    pub fn drop_pollable(&mut self, p: Pollable) -> Result<()> {
        HostPollable::drop(&mut self.store.data_mut().table, p)
    }

    /// `wasi:io/poll.poll` over `ps` (borrowed) plus the deadline's timer: returns the indexes of
    /// `ps` that are ready, and fails if only the deadline is.
    pub fn poll(&mut self, ps: &[Pollable]) -> Result<Vec<u32>> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        let timer = self.timer(left)?;
        let mut list: Vec<Pollable> = ps.iter().map(|p| Resource::new_borrow(p.rep())).collect();
        list.push(Resource::new_borrow(timer.rep()));
        let n = ps.len() as u32;
        let ready = PollHost::poll(&mut self.store.data_mut().table, list)?;
        self.drop_pollable(timer)?;
        let ready: Vec<u32> = ready.into_iter().filter(|&i| i < n).collect();
        if ready.is_empty() {
            bail!("timed out waiting on wasi:io/poll");
        }
        Ok(ready)
    }

    /// Polls the given pollables once, then drops them all.
    pub fn poll_and_drop(&mut self, ps: Vec<Pollable>) -> Result<Vec<u32>> {
        let r = self.poll(&ps);
        for p in ps {
            self.drop_pollable(p)?;
        }
        r
    }

    /// Drives `poll-open` until the socket opens or fails, waiting on whatever it hands back.
    pub fn wait_open(&mut self, s: Sock) -> Result<Result<SocketInfo, SocketError>> {
        loop {
            match self.poll_open(s)? {
                OpenStatus::Pending(ps) => {
                    if ps.is_empty() {
                        bail!("poll-open returned pending with no pollable");
                    }
                    self.poll_and_drop(ps)?;
                }
                OpenStatus::Opened(info) => return Ok(Ok(info)),
                OpenStatus::Failed(e) => return Ok(Err(e)),
            }
        }
    }

    pub fn open(&mut self, s: Sock) -> Result<SocketInfo> {
        self.wait_open(s)?.map_err(|e| anyhow!("opened failed: {}", describe(&e)))
    }

    /// Before the socket opens, `poll-open` is the way to wait (its pollables cover the name
    /// lookup, every connection attempt, their timers and the TLS handshake; subscribe-read and
    /// subscribe-write only hand back a re-check timer then). True when it waited.
    fn wait_if_opening(&mut self, s: Sock) -> Result<bool> {
        match self.poll_open(s)? {
            OpenStatus::Pending(ps) => {
                self.poll_and_drop(ps)?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// Waits until reading may make progress.
    pub fn wait_read(&mut self, s: Sock) -> Result<()> {
        if self.wait_if_opening(s)? {
            return Ok(());
        }
        let p = self.subscribe_read(s)?;
        self.poll_and_drop(vec![p]).map(|_| ())
    }

    /// Waits until writing or flushing may make progress.
    pub fn wait_write(&mut self, s: Sock) -> Result<()> {
        if self.wait_if_opening(s)? {
            return Ok(());
        }
        let p = self.subscribe_write(s)?;
        self.poll_and_drop(vec![p]).map(|_| ())
    }

    /// The next bytes, waiting for them: Ok(Some(bytes)), Ok(None) at end of input, or the error.
    pub fn read_some(&mut self, s: Sock, max: u32) -> Result<Result<Option<Vec<u8>>, SocketError>> {
        loop {
            match self.read(s, max)? {
                Ok(ReadResult::Data(d)) => return Ok(Ok(Some(d))),
                Ok(ReadResult::WouldBlock) => self.wait_read(s)?,
                Err(ReadEnd::Eof) => return Ok(Ok(None)),
                Err(ReadEnd::Failed(e)) => return Ok(Err(e)),
            }
        }
    }

    pub fn read_exactly(&mut self, s: Sock, n: usize) -> Result<Vec<u8>> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self.read_some(s, (n - out.len()).min(1 << 20) as u32)? {
                Ok(Some(d)) => out.extend_from_slice(&d),
                Ok(None) => bail!("input ended after {} of {} bytes", out.len(), n),
                Err(e) => bail!("read failed after {} of {} bytes: {}", out.len(), n, describe(&e)),
            }
        }
        Ok(out)
    }

    /// Everything until end of input.
    pub fn read_to_end(&mut self, s: Sock) -> Result<Result<Vec<u8>, SocketError>> {
        let mut out = Vec::new();
        loop {
            match self.read_some(s, 65536)? {
                Ok(Some(d)) => out.extend_from_slice(&d),
                Ok(None) => return Ok(Ok(out)),
                Err(e) => return Ok(Err(e)),
            }
        }
    }

    /// Writes every byte and waits until the component holds none of them (all with the host).
    pub fn write_all(&mut self, s: Sock, data: &[u8]) -> Result<Result<(), SocketError>> {
        let mut off = 0;
        while off < data.len() {
            let end = (off + (1 << 20)).min(data.len());
            match self.write(s, &data[off..end])? {
                Ok(r) => {
                    off += r.accepted as usize;
                    if r.accepted == 0 {
                        // the component's buffer is full: `flush` pushes it to the host (`write`
                        // only queues behind it), then wait until the host has room again
                        match self.flush(s)? {
                            Ok(true) => {}
                            Ok(false) => self.wait_write(s)?,
                            Err(e) => return Ok(Err(e)),
                        }
                    }
                }
                Err(e) => return Ok(Err(e)),
            }
        }
        self.flush_all(s)
    }

    /// `flush` until the component's buffer (and a due FIN) is handed over.
    pub fn flush_all(&mut self, s: Sock) -> Result<Result<(), SocketError>> {
        loop {
            match self.flush(s)? {
                Ok(true) => return Ok(Ok(())),
                Ok(false) => self.wait_write(s)?,
                Err(e) => return Ok(Err(e)),
            }
        }
    }
}
