import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import { isBlockedAddress } from "@/lib/delivery/blocked-address";

// Browser-safe (the endpoint form warns with it); re-exported so server code keeps one import.
export { isBlockedAddress };

export class UrlNotAllowedError extends Error {
  override name = "UrlNotAllowedError";
  constructor(
    readonly code: "BLOCKED_ADDRESS" | "INVALID_URL",
    message: string,
  ) {
    super(message);
  }
}

/**
 * For the `lookup` option of an http(s) Agent: the check runs on the very addresses the socket
 * will connect to, so DNS rebinding between a check and the connect is impossible. If any
 * address of the name is blocked the whole name is refused.
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const blocked = addresses.find((entry) => isBlockedAddress(entry.address));
    if (blocked) {
      const message = `${hostname} resolves to ${blocked.address}, which is not a public address`;
      return callback(new UrlNotAllowedError("BLOCKED_ADDRESS", message), "");
    }
    if (options.all) return callback(null, addresses);
    const [first] = addresses;
    callback(null, first.address, first.family);
  });
};

export interface UrlPolicy {
  allowPrivate: boolean;
  requireHttps?: boolean;
}

/**
 * Node connects to IP literals without calling `lookup`, so literal hosts are checked here;
 * names are checked at connect time by guardedLookup.
 */
export function assertUrlAllowed(raw: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UrlNotAllowedError("INVALID_URL", "Not a valid URL");
  }
  const allowedSchemes = policy.requireHttps ? ["https"] : ["http", "https"];
  if (!allowedSchemes.includes(url.protocol.slice(0, -1))) {
    const message =
      policy.requireHttps && url.protocol === "http:"
        ? "HTTPS is required: http:// URLs are refused (use https:// with a valid certificate)"
        : `The URL must use ${allowedSchemes.join(" or ")}`;
    throw new UrlNotAllowedError("INVALID_URL", message);
  }
  if (url.username || url.password) {
    throw new UrlNotAllowedError("INVALID_URL", "The URL must not contain credentials; use a custom header instead");
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  if (!policy.allowPrivate && net.isIP(host) && isBlockedAddress(host)) {
    throw new UrlNotAllowedError("BLOCKED_ADDRESS", `${host} is not a public address`);
  }
  return url;
}
