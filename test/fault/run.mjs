// Runs the fault-containment cases in whatever runtime executes this file (node, deno, bun)
// against the built package, and prints one JSON line of results. The peer's ports come in
// PEER_PORTS. An unhandled rejection anywhere fails the run.
import { connect, SocketError } from '../../dist/src/index.js';
import * as testing from '../../dist/src/testing.js';
import { runCases } from './cases.mjs';

const unhandled = [];
const onUnhandled = (e) => unhandled.push(String(e?.reason ?? e));
if (typeof process !== 'undefined' && process.on) process.on('unhandledRejection', onUnhandled);
else globalThis.addEventListener?.('unhandledrejection', (ev) => { ev.preventDefault(); onUnhandled(ev); });

const ports = JSON.parse(process.env.PEER_PORTS);
const results = await runCases({ connect, SocketError, testing, ports });
// let any late rejection surface before reporting: runtimes report an unhandled rejection once
// the microtasks of the turn that made it have run, so a few turns of the event loop are enough
for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0));
results.push({ name: 'no unhandled rejection', ok: unhandled.length === 0, error: unhandled.join('\n') || undefined });
process.stdout.write(JSON.stringify(results) + '\n');
