import { randomBytes } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

/**
 * Prefixed, time-ordered ids people can recognise in logs (`ep_`, `msg_`…):
 * 10 chars of millisecond time then 16 random chars, so ids sort by creation.
 */
export function newId(prefix: IdPrefix): string {
  let time = Date.now();
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = ALPHABET[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const random = randomBytes(16);
  let tail = "";
  for (const byte of random) tail += ALPHABET[byte % 32];
  return `${prefix}_${head}${tail}`;
}

export type IdPrefix = "ws" | "usr" | "mem" | "key" | "evt" | "ep" | "msg" | "dlv" | "att" | "ptl";
