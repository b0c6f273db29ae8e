// Type test, compiled by test/types.test.ts with `tsc --noEmit` in the environment of a Node
// project: lib ES2022 + DOM (whose ReadableStream / WritableStream wasi-connect's types use), with
// @cloudflare/workers-types' importable types (`import type { Socket } from
// '@cloudflare/workers-types'`). There, workers-types' Socket carries workers-types' own
// ReadableStream / WritableStream classes, which are not the DOM's: the two stream typings are not
// assignable to each other (shown below on the bare stream types). Everything else about the
// socket is, both ways.
import type * as ours from 'wasi-connect';
import type * as cf from '@cloudflare/workers-types';

type Is<T extends true> = T;
type Assignable<A, B> = [A] extends [B] ? true : false;
type Streams = 'readable' | 'writable' | 'startTls';

// the stream typings themselves differ (DOM lib against workers-types): not ours to fix
// @ts-expect-error DOM's ReadableStream.getReader() overloads are not workers-types' (and back)
export type DomReadableToCf = Is<Assignable<ReadableStream<Uint8Array>, cf.ReadableStream>>;
// @ts-expect-error workers-types' ReadableStreamReadResult has an optional `value` where DOM's requires it
export type CfReadableToDom = Is<Assignable<cf.ReadableStream, ReadableStream<Uint8Array>>>;

// Socket, apart from the stream-typed members, both ways
export type SocketToCf = Is<Assignable<Omit<ours.Socket, Streams>, Omit<cf.Socket, Streams>>>;
export type CfToSocket = Is<Assignable<Omit<cf.Socket, Streams>, Omit<ours.Socket, Streams>>>;

// SocketAddress, SocketInfo: both ways
export type AddressToCf = Is<Assignable<ours.SocketAddress, cf.SocketAddress>>;
export type CfToAddress = Is<Assignable<cf.SocketAddress, ours.SocketAddress>>;
export type InfoToCf = Is<Assignable<ours.SocketInfo, cf.SocketInfo>>;
export type CfToInfo = Is<Assignable<cf.SocketInfo, ours.SocketInfo>>;
export type TlsOptionsToOurs = Is<Assignable<cf.TlsOptions, ours.StartTlsOptions>>;

// SocketOptions: theirs are ours; ours are theirs once allowHalfOpen is given (see workers-ambient)
export type CfToOptions = Is<Assignable<cf.SocketOptions, ours.SocketOptions>>;
// @ts-expect-error allowHalfOpen is optional in ours (and in workerd), required in workers-types
export type OptionsToCf = Is<Assignable<ours.SocketOptions, cf.SocketOptions>>;
export type OptionsWithAllowHalfOpenToCf = Is<Assignable<ours.SocketOptions & { allowHalfOpen: boolean }, cf.SocketOptions>>;

// option arrays may be readonly (an `as const` list of ALPN names or CA certificates)
export type ReadonlyArraysInOptions = Is<Assignable<{ alpn: readonly ['h2']; ca: readonly string[] }, ours.SocketOptions>>;
export type ReadonlyArraysInStartTls = Is<Assignable<{ alpn: readonly string[]; ALPNProtocols: readonly ['imap'] }, ours.StartTlsOptions>>;
// @ts-expect-error a mutable-only parameter would reject readonly arrays: this checks the check
export type ReadonlyIntoMutable = Is<Assignable<{ alpn: readonly string[] }, { alpn?: string[] }>>;
