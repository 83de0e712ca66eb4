import dns from "node:dns";
import net, { type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

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
 * An allowlist: only what ipaddr.js classifies as global unicast may be reached. That covers
 * loopback, private, link-local (cloud metadata included), CGNAT, 0/8, multicast, broadcast,
 * reserved and documentation ranges, unique-local (fd00:ec2::254 too) and every future special range.
 * IPv6 forms that embed an IPv4 address are judged by the address they lead to.
 * Anything that does not parse is blocked.
 */
export function isBlockedAddress(ip: string): boolean {
  if (!ipaddr.isValid(ip)) return true;
  const address = ipaddr.parse(ip);
  if (address.kind() === "ipv4") return address.range() !== "unicast";
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return isBlockedAddress(embedded);
  // ::/96 holds ::, ::1 and the deprecated IPv4-compatible form; no webhook lives there.
  if (v6.parts.slice(0, 6).every((part) => part === 0)) return true;
  return v6.range() !== "unicast";
}

function embeddedIPv4(address: ipaddr.IPv6): string | null {
  const { parts } = address;
  const ipv4 = (high: number, low: number) => [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return ipv4(parts[6], parts[7]);
    case "rfc6052": // NAT64 well-known prefix 64:ff9b::/96; the local-use 64:ff9b:1::/48 stays blocked
      return parts[2] === 0 ? ipv4(parts[6], parts[7]) : null;
    case "6to4": // 2002:aabb:ccdd::/48
      return ipv4(parts[1], parts[2]);
    default:
      return null;
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
    throw new UrlNotAllowedError("INVALID_URL", `The URL must use ${allowedSchemes.join(" or ")}`);
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
