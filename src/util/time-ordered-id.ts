import { randomFillSync } from 'node:crypto';

/**
 * UUIDv7 (RFC 9562 §5.7): 48 bits of Unix milliseconds, then 74 random bits, in the usual
 * 8-4-4-4-12 hex form. Request and decision ids are the primary key (and the head of several
 * indexes) of the log tables: random v4 ids land on a random B-tree leaf per row and index, so a
 * batch of rows dirties a page per row in every such index; time-ordered ids append at the right
 * edge instead. The ids stay unique and their last hex digits stay uniformly random (sampling by
 * id suffix or hash is unchanged); they do reveal their creation time to the millisecond.
 */
export function timeOrderedId(nowMs = Date.now()): string {
  const r = randomBytes10();
  const high = Math.floor(nowMs / 0x10000);
  const low = nowMs % 0x10000;
  return (
    hex8(high) +
    '-' +
    hex4(low) +
    '-7' +
    NIBBLE[r[0]! & 0x0f]! +
    HEX[r[1]!]! +
    '-' +
    HEX[0x80 | (r[2]! & 0x3f)]! +
    HEX[r[3]!]! +
    '-' +
    HEX[r[4]!]! +
    HEX[r[5]!]! +
    HEX[r[6]!]! +
    HEX[r[7]!]! +
    HEX[r[8]!]! +
    HEX[r[9]!]!
  );
}

const NIBBLE = '0123456789abcdef';
/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

function hex8(value: number): string {
  return value.toString(16).padStart(8, '0');
}

function hex4(value: number): string {
  return value.toString(16).padStart(4, '0');
}

/** Random bytes drawn from a pool refilled 4 KB at a time: one CSPRNG call per ~400 ids. */
const POOL = Buffer.alloc(4096);
let poolOffset = POOL.length;

function randomBytes10(): Buffer {
  if (poolOffset + 10 > POOL.length) {
    randomFillSync(POOL);
    poolOffset = 0;
  }
  const out = POOL.subarray(poolOffset, poolOffset + 10);
  poolOffset += 10;
  return out;
}
