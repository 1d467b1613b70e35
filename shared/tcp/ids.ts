// The id rule of the scenario format: a segment an end emits takes the id of an earlier segment from the
// same end with the same flags, seq, ack and len (a retransmission, or the same reply sent again);
// otherwise the next id of its series: a1, a2, … for A and b1, b2, … for B.

import { canonicalFlags, sameSegment } from './segment.ts';
import type { EndId, Segment, SegmentFields } from './types.ts';

export type IdCounters = Record<EndId, number>;

export function assignSegmentId(history: readonly Segment[], counters: IdCounters, from: EndId, fields: SegmentFields): Segment {
  const to: EndId = from === 'A' ? 'B' : 'A';
  const earlier = history.find((segment) => segment.from === from && sameSegment(segment, fields));
  const id = earlier ? earlier.id : `${from.toLowerCase()}${++counters[from]}`;
  return { id, from, to, flags: canonicalFlags(fields.flags), seq: fields.seq, ack: fields.ack, len: fields.len };
}
