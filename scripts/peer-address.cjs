/**
 * Preloaded into Next.js by scripts/serve.ts (`NODE_OPTIONS=--require …`): stamps every incoming
 * request with the address of its TCP peer in `x-hookline-peer`, replacing whatever a client sent
 * under that name. Next hands route handlers no socket, and it keeps a client's own
 * X-Forwarded-For as it is; with the peer known, lib/auth/login-limits.ts reads X-Forwarded-For
 * only as far as HOOKLINE_TRUSTED_PROXIES vouch for it.
 */
const http = require("node:http");
const https = require("node:https");

for (const Server of [http.Server, https.Server]) {
  const emit = Server.prototype.emit;
  Server.prototype.emit = function (event, request, ...rest) {
    if (event === "request" && request && request.headers) request.headers["x-hookline-peer"] = request.socket?.remoteAddress ?? "";
    return emit.call(this, event, request, ...rest);
  };
}
