// The projector feed: the whole picture of a session built from its players and its pairs' rooms, and a
// throttle so a round with a hundred busy pairs sends at most a few feeds a second.
import { MISSIONS } from '../../shared/game/index.ts';
import type { LocalizedText, RefusalCode, Seat } from '../../shared/game/types.ts';
import type { FeedMistake, FeedPair, FeedPlayer, FeedSeat, SessionFeed } from '../../shared/protocol/class.ts';
import type { PairSnapshot } from '../room/room.ts';

/** A pair as the session knows it: who plays each seat, and the newest snapshot its room published. */
export interface FeedPairSource {
  snapshot: PairSnapshot;
  players: Record<Seat, string | null>;
}

/** What the feed is made of; the session hands it over when a feed is due. */
export interface FeedSource extends Omit<SessionFeed, 'players' | 'pairs' | 'mistakes'> {
  players: Omit<FeedPlayer, 'status'>[];
  pairs: FeedPairSource[];
  /** one refusal of each code seen this round, for its explanation */
  examples: Map<RefusalCode, { explanation: LocalizedText; rule: string }>;
}

const SEATS: readonly Seat[] = ['A', 'B'];
const MAX_MISTAKES = 5;

function tile(pair: FeedPairSource): FeedPair {
  const snap = pair.snapshot;
  const seat = (s: Seat): FeedSeat => {
    const record = snap.seats[s];
    const bot = record.kind === 'bot' && pair.players[s] === null;
    return {
      playerId: pair.players[s],
      nickname: bot ? null : record.nickname,
      kind: bot ? 'bot' : 'human',
      connected: record.connected,
      state: record.state,
      mistakes: snap.score[s].mistakes,
    };
  };
  const finished = snap.phase === 'finished';
  return {
    room: snap.code,
    seats: { A: seat('A'), B: seat('B') },
    goals: [...snap.goals],
    goalsTotal: MISSIONS[snap.mission].goals.length,
    finished,
    outcome: snap.outcome ?? (finished ? 'stopped' : null),
  };
}

export function buildFeed(source: FeedSource): SessionFeed {
  const playing = new Set<string>();
  const counts = new Map<RefusalCode, number>();
  for (const pair of source.pairs) {
    for (const s of SEATS) {
      const id = pair.players[s];
      if (id === null) continue;
      playing.add(id);
      const byCode = pair.snapshot.score[s].mistakesByCode;
      for (const [code, n] of Object.entries(byCode) as [RefusalCode, number][]) counts.set(code, (counts.get(code) ?? 0) + n);
    }
  }
  const players: FeedPlayer[] = source.players.map((p) => ({
    ...p,
    status: source.phase === 'playing' ? (playing.has(p.id) ? 'playing' : 'waiting') : 'lobby',
  }));
  const mistakes: FeedMistake[] = [...counts.entries()]
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_MISTAKES)
    .map(([code, count]) => {
      const example = source.examples.get(code);
      return { code, count, explanation: example?.explanation ?? null, rule: example?.rule ?? null };
    });
  const { examples: _examples, ...rest } = source;
  return { ...rest, players, pairs: source.pairs.map(tile), mistakes };
}

/**
 * Calls `send` at most once per `intervalMs`: the first change after a quiet spell goes out at once, changes
 * during the interval are folded into one send at its end.
 */
export class Throttle {
  private last = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly send: () => void,
  ) {}

  poke(): void {
    if (this.timer) return;
    const wait = this.last + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.timer = setTimeout(() => this.fire(), 0);
    } else {
      this.timer = setTimeout(() => this.fire(), wait);
    }
    this.timer.unref();
  }

  /** Send now (a round ended: the leaderboard should not wait). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.fire();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private fire(): void {
    this.timer = null;
    this.last = Date.now();
    this.send();
  }
}
