import { randomBytes } from "node:crypto";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const ENTROPY_BITS = 80n;

/** A ULID (what Inngest uses for event and run ids): time-sortable, 26 chars. */
export function ulid(time = Date.now(), entropy: bigint = bytesToBigInt(randomBytes(10))): string {
  let head = "";
  for (let t = time, i = 0; i < 10; i++, t = Math.floor(t / 32)) head = CROCKFORD[t % 32] + head;
  let tail = "";
  let bits = entropy & ((1n << ENTROPY_BITS) - 1n);
  for (let i = 0; i < 16; i++, bits >>= 5n) tail = CROCKFORD[Number(bits & 31n)] + tail;
  return head + tail;
}

/**
 * The SDK sends `x-inngest-event-id-seed: <millis>,<base64 entropy>` and keeps
 * it across its own retries of one `send()`. Deriving the event ids from it
 * makes a retried send land on the same ids, so it cannot start runs twice.
 */
export function seededEventIds(seed: string | undefined, count: number): string[] | undefined {
  const match = seed?.match(/^(\d+),([A-Za-z0-9+/=]+)$/);
  if (!match) return undefined;
  const entropy = Buffer.from(match[2], "base64");
  if (entropy.length !== 10) return undefined;
  return consecutiveIds(count, Number(match[1]), bytesToBigInt(entropy));
}

function bytesToBigInt(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/**
 * `count` ULIDs of one instant that sort in the order given: consecutive entropy from `base`
 * (random by default, with room to count up without wrapping).
 */
export function consecutiveIds(count: number, time = Date.now(), base = bytesToBigInt(randomBytes(10)) >> 1n): string[] {
  return Array.from({ length: count }, (_, index) => ulid(time, base + BigInt(index)));
}
