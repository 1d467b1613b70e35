// The running timers (RTO, 2 MSL, user timeout) as countdowns. The server sends, with every room view, how long
// each timer had left when the view was made (`timerDeadlines`, relative so clocks may differ); the countdown
// starts when the view arrives here. The timer itself fires on the server: a countdown at 0 only waits for it.
import type { Seat } from '../../../shared/game/types.ts';
import type { RoomView } from '../../../shared/protocol/events.ts';
import type { TimerKind } from '../../../shared/tcp/types.ts';
import { bus } from '../bus.ts';

export interface Countdown {
  end: Seat;
  kind: TimerKind;
  /** performance.now() when it runs out */
  endsAt: number;
  msTotal: number;
}

let room: string | null = null;
let running: Countdown[] = [];
/** timers that started (or restarted) with the last room updates, for the board to announce after its animation,
 * with the seconds they had when they arrived (a quick answer may already have stopped them by then) */
let started: { clock: Countdown; seconds: number }[] = [];

const now = () => performance.now();
const key = (c: { end: Seat; kind: TimerKind }) => `${c.end}:${c.kind}`;

/** Take a new room view's timers. A timer is new when it was not running, or restarted when it has clearly more
 * time left than the old countdown would (a retransmission, a TIME-WAIT that re-acknowledges a FIN). */
function take(view: RoomView, fromMove: boolean): void {
  const at = now();
  const before = new Map(room === view.code ? running.map((c) => [key(c), c] as const) : []);
  room = view.code;
  running = (view.timerDeadlines ?? []).map((d) => ({ end: d.end, kind: d.kind, endsAt: at + d.msLeft, msTotal: Math.max(1, d.msTotal) }));
  if (!fromMove) return;
  for (const c of running) {
    const old = before.get(key(c));
    if (!old || c.endsAt > old.endsAt + Math.min(500, c.msTotal / 4)) started.push({ clock: c, seconds: Math.ceil((c.endsAt - at) / 1000) });
  }
}

bus.on('room:joined', ({ room: view }) => {
  started = [];
  take(view, false);
});
bus.on('room:update', ({ room: view }) => take(view, true));
bus.on('room:left', () => {
  room = null;
  running = [];
  started = [];
});

/** The countdowns running at one end (or at both). */
export function countdowns(end?: Seat): Countdown[] {
  return end ? running.filter((c) => c.end === end) : running.slice();
}

/** Milliseconds left, never below 0. */
export function msLeft(c: Countdown): number {
  return Math.max(0, c.endsAt - now());
}

/** Whole seconds left, rounded up (a timer with 0.2 s left still shows 1 s; 0 once it has run out). */
export function secondsLeft(c: Countdown): number {
  return Math.ceil(msLeft(c) / 1000);
}

/** The timers that started since the last call, oldest first, with their seconds when they started. */
export function takeStarted(): { clock: Countdown; seconds: number }[] {
  const list = started;
  started = [];
  return list;
}
