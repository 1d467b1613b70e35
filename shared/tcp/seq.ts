// Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4): every comparison of sequence or acknowledgment
// numbers goes through these, so wrap-around at 2^32 is never a special case anywhere else.

export const SEQ_MODULUS = 0x1_0000_0000;

/** a + b modulo 2^32 */
export function seqAdd(a: number, b: number): number {
  return (a + b) >>> 0;
}

/** a - b modulo 2^32, as an unsigned distance */
export function seqDiff(a: number, b: number): number {
  return (a - b) >>> 0;
}

/** a < b in sequence space: b is ahead of a by less than 2^31 */
export function seqLt(a: number, b: number): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: number, b: number): boolean {
  return a === b || seqLt(a, b);
}

export function seqGt(a: number, b: number): boolean {
  return seqLt(b, a);
}

export function seqGe(a: number, b: number): boolean {
  return a === b || seqLt(b, a);
}

/** lo <= x < hi in sequence space (an empty range when lo = hi) */
export function seqInRange(lo: number, x: number, hi: number): boolean {
  return seqLe(lo, x) && seqLt(x, hi);
}

export function isUint32(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < SEQ_MODULUS;
}
