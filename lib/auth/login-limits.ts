import "server-only";
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

/** The client's address: the first x-forwarded-for hop (the launcher's proxy sets it), else x-real-ip. */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "unknown";
}
