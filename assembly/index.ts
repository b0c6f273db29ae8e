// Entry of the wasi-connect component. build/exports.mjs gives these their canonical-ABI names.
import "./abi/abort";
import { randomBytes, wallClockSeconds, monotonicMillis } from "./abi/wasi";
import { setEntropySource } from "./crypto/random";
import { setClock, setMonotonicClock } from "./tls/clock";

// The component's CSPRNG draws its seed from the host's wasi:random; certificates are checked
// against wasi:clocks/wall-clock.
setEntropySource(randomBytes);
setClock(wallClockSeconds);
setMonotonicClock(monotonicMillis);
export { cabiRealloc as cabi_realloc } from "./abi/memory";
export {
  sockets_connect, sockets_connect_post,
  sockets_parseAddress, sockets_parseAddress_post,
  socket_pollOpen, socket_pollOpen_post,
  socket_read, socket_read_post,
  socket_subscribeRead,
  socket_write, socket_write_post,
  socket_flush, socket_flush_post,
  socket_subscribeWrite,
  socket_bufferedAmount,
  socket_shutdownWrite, socket_shutdownWrite_post,
  socket_close,
  socket_dtor,
  socket_startTls, socket_startTls_post,
  socket_tlsInfo, socket_tlsInfo_post,
  socket_takeKeylog, socket_takeKeylog_post,
  sockets_addTrustAnchors, sockets_addTrustAnchors_post,
  diagnostics_forceTrap,
} from "./abi/exports";
