import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits, in the usual
 * 8-4-4-4-12 hex form. Request and decision ids are the primary key (and the head of several
 * indexes) of the log tables: random v4 ids land on a random B-tree leaf per row and index, so a
 * batch of rows dirties a page per row in every such index; time-ordered ids append at the right
 * edge instead. The ids stay unique and their last hex digits stay uniformly random (sampling by
 * id suffix or hash is unchanged); they do reveal their creation time to the millisecond.
 *
 * Written as character codes into one reused array and turned into a string once: every request
 * makes at least one id, and joining 20 pieces left ~590 bytes of intermediate strings per id
 * (≈70 now, the id itself; 15% faster in a scratch loop).
 */
export function timeOrderedId(nowMs = Date.now()): string {
  const at = takeRandomBytes(10);
  putHex(0, Math.floor(nowMs / 0x10000), 8);
  putHex(9, nowMs % 0x10000, 4);
  CODES[15] = HEX_CODES[POOL[at]! & 0x0f]!; // after the version digit
  putHex(16, POOL[at + 1]!, 2);
  putHex(19, 0x80 | (POOL[at + 2]! & 0x3f), 2); // RFC 9562 variant bits 10
  putHex(21, POOL[at + 3]!, 2);
  for (let i = 0; i < 6; i++) putHex(24 + 2 * i, POOL[at + 4 + i]!, 2);
  return String.fromCharCode.apply(null, CODES);
}

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The id being written; the dashes and the version digit never change. */
const CODES: number[] = Array.from('00000000-0000-7000-0000-000000000000', (c) => c.charCodeAt(0));

/** Writes `value` as `digits` lowercase hex digits ending at CODES[at + digits - 1]. */
function putHex(at: number, value: number, digits: number): void {
  for (let i = at + digits - 1; i >= at; i--) {
    CODES[i] = HEX_CODES[value % 16]!;
    value = Math.floor(value / 16);
  }
}

/** Random bytes drawn from a pool refilled 4 KB at a time: one CSPRNG call per ~400 ids. */
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

/** Reserves `n` fresh random bytes in POOL and returns where they start. */
function takeRandomBytes(n: number): number {
  if (poolOffset + n > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const at = poolOffset;
  poolOffset += n;
  return at;
}
