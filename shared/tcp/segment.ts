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
