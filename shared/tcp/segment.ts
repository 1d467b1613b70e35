// Small facts about segments: how much sequence space they use, and how to write one down canonically.

import { FLAGS, type Flag, type SegmentFields } from './types.ts';

export function hasFlag(segment: { flags: readonly Flag[] }, flag: Flag): boolean {
  return segment.flags.includes(flag);
}

/** SEG.LEN of RFC 9293 §3.4: payload bytes, plus one for SYN and one for FIN. */
export function sequenceSpace(segment: SegmentFields): number {
  return segment.len + (hasFlag(segment, 'SYN') ? 1 : 0) + (hasFlag(segment, 'FIN') ? 1 : 0);
}

/** Flags sorted alphabetically and without duplicates, as the scenario files write them. */
export function canonicalFlags(flags: readonly Flag[]): Flag[] {
  return [...new Set(flags)].sort() as Flag[];
}

/** The flags that matter for connection management: PSH and URG are ignored when comparing segments. */
export function significantFlags(flags: readonly Flag[]): Flag[] {
  return canonicalFlags(flags.filter((flag) => flag !== 'PSH' && flag !== 'URG'));
}

export function makeSegment(flags: Flag[], seq: number, ack: number | null, len = 0): SegmentFields {
  return { flags: canonicalFlags(flags), seq: seq >>> 0, ack: ack === null ? null : ack >>> 0, len };
}

/** Same flags (PSH/URG aside), seq, ack and len: the identity the scenario id rule uses. */
export function sameSegment(a: SegmentFields, b: SegmentFields): boolean {
  if (a.seq !== b.seq || a.ack !== b.ack || a.len !== b.len) return false;
  const fa = significantFlags(a.flags);
  const fb = significantFlags(b.flags);
  return fa.length === fb.length && fa.every((flag, i) => flag === fb[i]);
}

/** "SYN,ACK seq=300 ack=101 len=0" for logs and explanations. */
export function describeSegment(segment: SegmentFields): string {
  const flags = FLAGS.filter((flag) => segment.flags.includes(flag)).join(',') || '-';
  const ack = segment.ack === null ? '' : ` ack=${segment.ack}`;
  return `${flags} seq=${segment.seq}${ack} len=${segment.len}`;
}

const FLAG_BITS: Record<Flag, number> = { URG: 32, ACK: 16, PSH: 8, RST: 4, SYN: 2, FIN: 1 };
const IGNORED_BITS = FLAG_BITS.PSH | FLAG_BITS.URG;

/** The flags as header bits, PSH and URG left out; -1 if any entry is not a flag. Cheap: the referee's hot path. */
export function significantFlagBits(flags: readonly unknown[]): number {
  let bits = 0;
  for (let i = 0; i < flags.length; i++) {
    const bit = FLAG_BITS[flags[i] as Flag];
    if (bit === undefined || typeof flags[i] !== 'string') return -1;
    bits |= bit;
  }
  return bits & ~IGNORED_BITS;
}
