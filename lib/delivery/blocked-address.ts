import ipaddr from "ipaddr.js";

// No node: imports here: the console's endpoint form uses this in the browser to warn early.

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
