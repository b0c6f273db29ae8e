// Runs the conformance cases in whatever runtime executes this file (node, deno, bun) against the
// built package, and prints one JSON line of results. The peer's ports come in PEER_PORTS.
import { connect, SocketError } from '../../dist/src/index.js';
import { runCases, controlClient } from './cases.mjs';

const ports = JSON.parse(process.env.PEER_PORTS);
const ctl = controlClient(ports.control);
const results = await runCases({ connect, SocketError, ports, control: ctl.control });
ctl.close();
process.stdout.write(JSON.stringify(results) + '\n');
