// What the replay screen shows of a judged connection, as plain data: the ladder's timeline up to a segment
// (the same TimelineEntry a game draws), with Wireshark's relative numbers or the raw ones, and the options.

import type { TimelineEntry } from '../game/types.ts';
import type { JudgedConnection, JudgedSegment } from './judge.ts';
import type { TcpOptions } from './types.ts';

/** The numbers a segment shows: relative to each end's initial sequence number, or as on the wire. */
export function shownNumbers(segment: JudgedSegment, relative: boolean): { seq: number; ack: number | null } {
  return relative ? { seq: segment.relSeq, ack: segment.relAck } : { seq: segment.seq, ack: segment.ack };
}

/** The ladder of the first `count` segments, drawn as a game's timeline is. */
export function replayTimeline(connection: JudgedConnection, count: number, relative: boolean): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const segments = connection.segments.slice(0, Math.max(0, count));
  segments.forEach((segment, i) => {
    const to = segment.from === 'A' ? 'B' : 'A';
    entries.push({
      kind: 'segment',
      at: i + 1,
      segment: { id: `#${segment.n}`, from: segment.from, to, flags: segment.flags, ...shownNumbers(segment, relative), len: segment.len },
      // a segment the capture marks as lost is drawn as a game draws one: it does not reach the other end
      fate: segment.lost ? 'lost' : 'delivered',
      senderState: segment.states[segment.from],
      receiverStateAfter: segment.receiverStateAfter,
      ...(segment.verdict === 'wrong' ? { wrongCard: true } : {}),
    });
  });
  return entries;
}

/** "MSS 1460, SACK permitted, window scale 7, timestamps 123/0, SACK 100–200": what the options say. */
export function optionsList(options: TcpOptions): string[] {
  const list: string[] = [];
  if (options.mss !== undefined) list.push(`MSS ${options.mss}`);
  if (options.sackPermitted) list.push('SACK permitted');
  if (options.windowScale !== undefined) list.push(`window scale ${options.windowScale}`);
  if (options.timestamps) list.push(`TS ${options.timestamps.value}/${options.timestamps.echo}`);
  if (options.sack) list.push(...options.sack.map(([left, right]) => `SACK ${left}–${right}`));
  return list;
}
