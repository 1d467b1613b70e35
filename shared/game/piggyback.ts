// Piggybacking (RFC 9293 §3.10.7.4, seventh step: the acknowledgment "should be piggybacked on a segment
// being transmitted if possible"): an ACK a TCP still owes may ride on the next segment a user call sends.

import { significantFlagBits } from '../tcp/segment.ts';
import type { SegmentFields } from '../tcp/types.ts';

const ACK_ONLY = significantFlagBits(['ACK']);

/** Only empty ACKs are owed: they may ride on the next segment a call sends. */
export function onlyPureAcks(owed: SegmentFields[]): boolean {
  return owed.length > 0 && owed.every((segment) => segment.len === 0 && significantFlagBits(segment.flags) === ACK_ONLY);
}
