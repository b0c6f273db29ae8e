//! `run`: a wasi:cli command component on wasmtime-wasi, with the permissions of
//! `wasmtime run -S inherit-network -S allow-ip-name-lookup [--dir ...]`. The composed
//! wasi-connect-cli.wasm runs here in the tests, so that they need no wasmtime-cli build.

use wasmtime::error::Context;
use wasmtime::{Result, bail};
use wasmtime::component::Component;
use wasmtime_wasi::p2::bindings::sync::Command;
use wasmtime_wasi::{FsPerms, I32Exit};

use crate::host;

/// `run COMPONENT [--dir HOST[::GUEST]]... [--] ARGS...`: the process exit code.
pub fn run_command(args: &[String]) -> Result<i32> {
    let Some(path) = args.first() else { bail!("run COMPONENT [--dir HOST[::GUEST]]... [--] ARGS...") };
    let mut rest = &args[1..];
    let mut b = host::wasi_builder();
    b.inherit_stdio().inherit_env();
    loop {
        match rest.first().map(String::as_str) {
            Some("--dir") => {
                let spec = rest.get(1).context("--dir HOST[::GUEST]")?;
                let (h, g) = spec.split_once("::").unwrap_or((spec, spec));
                b.preopened_dir(h, g, FsPerms::ReadOnly).with_context(|| format!("--dir {spec}"))?;
                rest = &rest[2..];
            }
            Some("--") => {
                rest = &rest[1..];
                break;
            }
            _ => break,
        }
    }
    // argv[0] is the program's name, as `wasmtime run` passes it
    let mut argv = vec![path.rsplit('/').next().unwrap_or(path).to_string()];
    argv.extend(rest.iter().cloned());
    b.args(&argv);
    let engine = host::engine()?;
    let component = Component::from_file(&engine, path).with_context(|| format!("loading {path}"))?;
    let linker = host::linker(&engine)?;
    let mut store = host::new_store(&engine, b.build());
    let command = Command::instantiate(&mut store, &component, &linker)?;
    match command.wasi_cli_run().call_run(&mut store) {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(I32Exit(code)) => Ok(*code),
            None => Err(e),
        },
    }
}
