// What a number typed into the segment builder means. Sequence and acknowledgment numbers are 32-bit and count
// modulo 2^32 (RFC 9293 §3.4): a number past 2^32 − 1 wraps, and the builder says so. Anything else typed is
// kept exactly as typed, for the referee to judge and explain (a negative length, a fraction…); it is never
// changed without a word.
const MOD = 2n ** 32n;

export type TypedNumber =
  /** empty field */
  | { kind: 'empty' }
  | { kind: 'number'; value: number }
  /** a sequence number past 2^32 − 1, wrapped modulo 2^32 */
  | { kind: 'wrapped'; value: number; typed: string }
  /** something no card can carry (the browser's number field gave up on it) */
  | { kind: 'unreadable' };

export function readTypedNumber(raw: string, modular: boolean): TypedNumber {
  const text = raw.trim();
  if (text === '') return { kind: 'empty' };
  // whole numbers exactly, however long (a Number would round 99999999999999999999)
  if (/^\d+$/.test(text)) {
    const big = BigInt(text);
    if (modular && big >= MOD) return { kind: 'wrapped', value: Number(big % MOD), typed: text };
    return { kind: 'number', value: Number(big) };
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return { kind: 'unreadable' };
  return { kind: 'number', value };
}

/** One step up or down; sequence numbers wrap around (0 − 1 is 2^32 − 1), a length stops at 0. */
export function stepNumber(value: number, delta: number, modular: boolean): number {
  if (modular) return Number(((BigInt(Math.trunc(value)) + BigInt(delta)) % MOD + MOD) % MOD);
  return Math.max(0, Math.trunc(value) + delta);
}
