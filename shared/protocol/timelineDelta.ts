// A room:update carries the game's timeline as a change, not whole: the timeline grows with every move (a
// finished game holds dozens of entries) while a move touches only its end (it appends entries, and turns
// the "in flight" entry of a segment it delivers into a "delivered" one). Sending only the tail keeps every
// update about the same size however long the game, which is most of what the server writes to its sockets.
//
// The game never edits an entry in place: a changed entry is a new object (test/engine checks this over
// many games), so the first index where the old and the new timeline hold different objects is where the
// change begins. Everything before it is the same on both ends.

import type { TimelineEntry } from '../game/types.ts';

export interface TimelineChange {
  /** index of the first entry that changed; entries before it are unchanged */
  from: number;
  /** the new timeline from `from` on */
  tail: TimelineEntry[];
}

/** What changed from `before` to `after` (the two timelines of consecutive versions of a room). */
export function timelineChange(before: readonly TimelineEntry[], after: readonly TimelineEntry[]): TimelineChange {
  const common = Math.min(before.length, after.length);
  let from = 0;
  while (from < common && before[from] === after[from]) from += 1;
  return { from, tail: after.slice(from) };
}

/**
 * The timeline after a change, given the one held before it; null when the change does not fit what is held
 * (it starts past its end: an update was missed), and the whole room must be asked for again.
 */
export function applyTimelineChange(held: readonly TimelineEntry[], change: TimelineChange): TimelineEntry[] | null {
  if (!Number.isInteger(change.from) || change.from < 0 || change.from > held.length) return null;
  return held.slice(0, change.from).concat(change.tail);
}
