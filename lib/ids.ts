import { randomFillSync } from "node:crypto";

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
  if (offset + 16 > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  let tail = "";
  for (let i = offset; i < offset + 16; i++) tail += ALPHABET[pool[i]! % 32];
  offset += 16;
  return `${prefix}_${head}${tail}`;
}

// Random bytes are drawn 4 KiB at a time (one call to the CSPRNG per 256 ids, not per id: a
// publish at fan-out 20 makes 21 ids); each id takes 16 bytes no other id gets.
const pool = Buffer.alloc(4096);
let offset = pool.length;

export type IdPrefix = "ws" | "usr" | "mem" | "key" | "evt" | "ep" | "msg" | "dlv" | "att" | "ptl";
