// Type test, compiled by test/types.test.ts with `tsc --noEmit` in the environment of a project
// written for Cloudflare Workers: lib ES2022 without DOM, @cloudflare/workers-types as the ambient
// globals (its `Socket`, `SocketOptions`, `SocketAddress`, `SocketInfo`, `TlsOptions` and its
// `declare module "cloudflare:sockets"`), no @types/node, skipLibCheck off (so wasi-connect's own
// declaration files must compile there too). Every line below must compile; each
// `@ts-expect-error` marks a direction that must NOT compile, for the reason given (if it ever
// compiles, tsc reports the directive as unused and the test fails: update README and
// docs/SPEC-CHOICES.md).
import * as ours from 'wasi-connect';
import type * as cf from 'cloudflare:sockets';

type Is<T extends true> = T;
/** true when A is assignable to B (not distributed over unions). */
type Assignable<A, B> = [A] extends [B] ? true : false;

// ------------------------------------------------------------------ Socket: both ways
export type SocketToCf = Is<Assignable<ours.Socket, Socket>>;
export type CfToSocket = Is<Assignable<Socket, ours.Socket>>;
// ... and what connect() and startTls() return is one
export type ConnectReturns = Is<Assignable<ReturnType<typeof ours.connect>, ReturnType<typeof cf.connect>>>;
export type StartTlsReturns = Is<Assignable<ReturnType<ours.Socket['startTls']>, Socket>>;
// the socket's parts, one by one
export type Opened = Is<Assignable<ours.Socket['opened'], Socket['opened']>>;
export type Closed = Is<Assignable<ours.Socket['closed'], Socket['closed']> & Assignable<Socket['closed'], ours.Socket['closed']>>;
export type Upgraded = Is<Assignable<ours.Socket['upgraded'], Socket['upgraded']> & Assignable<Socket['upgraded'], ours.Socket['upgraded']>>;
export type SecureTransport = Is<Assignable<ours.Socket['secureTransport'], Socket['secureTransport']> & Assignable<Socket['secureTransport'], ours.Socket['secureTransport']>>;
export type Readable = Is<Assignable<ours.Socket['readable'], Socket['readable']> & Assignable<Socket['readable'], ours.Socket['readable']>>;
export type Writable = Is<Assignable<ours.Socket['writable'], Socket['writable']> & Assignable<Socket['writable'], ours.Socket['writable']>>;

// ------------------------------------------------------------------ SocketAddress, SocketInfo: both ways
export type AddressToCf = Is<Assignable<ours.SocketAddress, SocketAddress>>;
export type CfToAddress = Is<Assignable<SocketAddress, ours.SocketAddress>>;
export type InfoToCf = Is<Assignable<ours.SocketInfo, SocketInfo>>;
export type CfToInfo = Is<Assignable<SocketInfo, ours.SocketInfo>>;
// startTls() options: workerd's TlsOptions are ours too
export type TlsOptionsToOurs = Is<Assignable<TlsOptions, ours.StartTlsOptions>>;

// ------------------------------------------------------------------ SocketOptions
// Workers code's options (secureTransport typed `string`, highWaterMark `number | bigint`) are ours.
export type CfToOptions = Is<Assignable<SocketOptions, ours.SocketOptions>>;
// Ours to theirs holds except for one member: workers-types declares `allowHalfOpen: boolean` as
// required, although workerd (and the spec) default it to false. With it given, ours are theirs.
// @ts-expect-error allowHalfOpen is optional in ours (and in workerd), required in workers-types
export type OptionsToCf = Is<Assignable<ours.SocketOptions, SocketOptions>>;
export type OptionsWithAllowHalfOpenToCf = Is<Assignable<ours.SocketOptions & { allowHalfOpen: boolean }, SocketOptions>>;

// ------------------------------------------------------------------ connect()
// our connect() where Workers code expects cloudflare:sockets' connect()
export const asCloudflare: typeof cf.connect = ours.connect;
// The other way (their connect() where our Connect type is expected) fails for the same reason:
// our Connect may be called with options that leave allowHalfOpen out.
// @ts-expect-error ours.Connect passes SocketOptions without allowHalfOpen, which workers-types' connect() requires
export const asOurs: ours.Connect = null as unknown as typeof cf.connect;

// ------------------------------------------------------------------ in use
// A function written for Workers, given our socket; and code written against wasi-connect,
// given a Workers socket.
declare function workersLibrary(s: Socket): Promise<SocketInfo>;
declare function wasiConnectLibrary(s: ours.Socket): Promise<ours.SocketInfo>;
export async function interplay(native: Socket): Promise<void> {
  const s = ours.connect({ hostname: 'localhost', port: 5432 }, { secureTransport: 'starttls', allowHalfOpen: false, highWaterMark: 65536n });
  const info: SocketInfo = await workersLibrary(s);
  const tls: Socket = s.startTls({ expectedServerHostname: 'localhost' });
  await wasiConnectLibrary(native);
  void info;
  void tls;
}
