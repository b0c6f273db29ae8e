// CommonJS side of resolution.mjs: import() and require() of `cloudflare:sockets` from a CJS module.
module.exports = async function fromCommonJs() {
  const pkg = await import('wasi-connect');
  const out = {};
  try {
    out.import = (await import('cloudflare:sockets')).connect === pkg.connect ? 'package' : 'other';
  } catch (e) {
    out.import = `error ${e.code ?? e.name}`;
  }
  try {
    out.require = require('cloudflare:sockets').connect === pkg.connect ? 'package' : 'other';
  } catch (e) {
    out.require = `error ${e.code ?? e.name}`;
  }
  return out;
};
