import "server-only";
import ipaddr from "ipaddr.js";
import { env } from "@/lib/env";
import { hit, reset, type Verdict } from "@/lib/rate-limit";

/**
 * Sign-in limits, checked before argon2 runs (19 MiB and ~50 ms a try): per IP, every attempt
 * counts; per account, failed attempts count and lock the account's sign-in for the rest of
 * the window once they reach the limit. A success clears the account's count.
 */
export const LOGIN_LIMITS = {
  ip: { limit: 100, windowMs: 10 * 60_000 },
  account: { limit: 10, windowMs: 15 * 60_000 },
};

export class LoginRefused extends Error {
  constructor(
    readonly verdict: Verdict,
    message: string,
  ) {
    super(message);
  }
}

const minutes = (ms: number) => Math.max(1, Math.ceil(ms / 60_000));

/** Counts this attempt against the IP and checks the account's lockout; throws LoginRefused when over either. */
export async function admitLogin(email: string, ip: string): Promise<Verdict> {
  const byIp = await hit(`login:ip:${ip}`, LOGIN_LIMITS.ip);
  if (!byIp.allowed) {
    throw new LoginRefused(byIp, `Too many sign-in attempts from your network. Try again in ${minutes(byIp.resetMs)} minutes.`);
  }
  if (email) {
    const byAccount = await hit(`login:account:${email}`, LOGIN_LIMITS.account, 0);
    if (byAccount.remaining === 0) {
      throw new LoginRefused(
        { ...byAccount, allowed: false },
        `This account is locked after too many failed sign-ins. Try again in ${minutes(byAccount.resetMs)} minutes.`,
      );
    }
  }
  return byIp;
}

export async function recordLoginFailure(email: string) {
  if (email) await hit(`login:account:${email}`, LOGIN_LIMITS.account);
}

export async function clearLoginFailures(email: string) {
  await reset(`login:account:${email}`);
}

/** Set on every request by scripts/peer-address.cjs (the launcher preloads it into Next): the TCP peer. */
export const PEER_HEADER = "x-hookline-peer";

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** An address as headers write it (`[::1]:443`, `1.2.3.4:80`, `::ffff:1.2.3.4` → plain), or null. */
function parseAddress(value: string): Address | null {
  const bare = value.trim().replace(/^\[([^\]]+)\](:\d+)?$/, "$1").replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, "$1");
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : null;
}

let ranges: { list: string; parsed: Range[] } | undefined;
function trustedProxies(list = env().HOOKLINE_TRUSTED_PROXIES): Range[] {
  if (ranges?.list !== list) {
    const parsed = list
      .split(",")
      .map((entry) => entry.trim())
      .filter(Boolean)
      .map((entry): Range => {
        if (entry.includes("/")) return ipaddr.parseCIDR(entry);
        const address = ipaddr.parse(entry);
        return [address, address.kind() === "ipv4" ? 32 : 128];
      });
    ranges = { list, parsed };
  }
  return ranges.parsed;
}

const trusted = (address: Address, proxies: Range[]) => proxies.some(([range, bits]) => range.kind() === address.kind() && address.match(range, bits));

/**
 * The client's address for the per-IP sign-in limit. Starting from the TCP peer, each hop that
 * is a trusted proxy (HOOKLINE_TRUSTED_PROXIES; loopback by default) vouches for the address
 * left of it in X-Forwarded-For (or X-Real-IP); the first hop that is not trusted is the client.
 * So a client talking to the server directly cannot pick its address by sending the header, and
 * one behind a trusted proxy cannot either: what it prepends is never reached.
 * Without the peer stamp (Next started without the launcher) the first X-Forwarded-For hop is used.
 */
export function clientIp(headers: Headers, proxies = trustedProxies()): string {
  const peer = headers.get(PEER_HEADER);
  if (!peer) return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
  let current = parseAddress(peer);
  if (!current) return peer || "unknown";
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").filter((hop) => hop.trim());
  if (!hops.length && headers.get("x-real-ip")) hops.push(headers.get("x-real-ip")!);
  while (trusted(current, proxies) && hops.length) {
    const previous = parseAddress(hops.pop()!);
    if (!previous) break; // not an address: stop at the last hop we could vouch for
    current = previous;
  }
  return current.toString();
}
