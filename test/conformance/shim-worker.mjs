// Runs the conformance cases on stock @bytecodealliance/preview2-shim as the WASI host (the jco
// bundle in dist/component-p2shim), with this package's Socket layer on top. preview2-shim blocks
// the calling thread in every wait, so this runs in a worker thread, and the peer is another process.
import { parentPort, workerData } from 'node:worker_threads';
import { sockets } from '../../dist/component-p2shim/wasi-connect.js';
import { bindConnect, SocketError } from '../../dist/src/index.js';
import { runCases, controlClient } from './cases.mjs';

const connect = bindConnect(sockets);
const ctl = controlClient(workerData.ports.control);
const results = await runCases({ connect, SocketError, ports: workerData.ports, control: ctl.control }, (c) => c.name === workerData.only);
ctl.close();
parentPort.postMessage(results);
