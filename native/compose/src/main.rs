//! wasi-connect-compose GUEST SOCKETS OUT
//!
//! What `wac plug --plug SOCKETS GUEST -o OUT` does, with wac's own library (wac-graph): every
//! import of GUEST that SOCKETS exports (here `wasi-connect:sockets/sockets@0.1.0`) is satisfied
//! by an instance of SOCKETS; all other imports of both (WASI 0.2.0) become the imports of OUT,
//! and OUT exports what GUEST exports (`wasi:cli/run@0.2.0`). Both components are embedded whole:
//! the sockets component's bytes are the ones the npm package ships.

use anyhow::{Context, Result, bail};
use wac_graph::{CompositionGraph, EncodeOptions, plug, types::Package};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [guest, sockets, out] = args.as_slice() else {
        bail!("usage: wasi-connect-compose GUEST.wasm SOCKETS.wasm OUT.wasm");
    };
    let mut graph = CompositionGraph::new();
    let g = Package::from_file("wasi-connect:cli", None, guest, graph.types_mut()).with_context(|| format!("reading {guest}"))?;
    let g = graph.register_package(g)?;
    let s = Package::from_file("wasi-connect:sockets", None, sockets, graph.types_mut()).with_context(|| format!("reading {sockets}"))?;
    let s = graph.register_package(s)?;
    plug(&mut graph, vec![s], g)?;
    let bytes = graph.encode(EncodeOptions::default())?;
    std::fs::write(out, &bytes).with_context(|| format!("writing {out}"))?;
    eprintln!("  composed {out} ({} KiB)", bytes.len() / 1024);
    Ok(())
}
