// Updates carry only the changed end of the game's timeline (shared/protocol/timelineDelta.ts). That is only
// right if the game never edits an old entry in place: these games, on a faulty network, with wrong cards,
// hints, quiz answers and timers, check it move by move against a deep copy taken before each move.
import { describe, expect, it } from 'vitest';
import { answerQuiz, botCard, fireTimer, newGame, playCard, takeHint } from '../../shared/game/index.ts';
import { seededRandom } from '../../shared/game/rng.ts';
import type { GameState, Seat, TimelineEntry } from '../../shared/game/types.ts';
import { applyTimelineChange, timelineChange } from '../../shared/protocol/timelineDelta.ts';

/** One move of a seeded game: an erring bot's card (wrong ones reach the wire), sometimes a hint or a quiz answer, or a timer. */
function nextMove(game: GameState, random: () => number): GameState | null {
  const seats: Seat[] = random() < 0.5 ? ['A', 'B'] : ['B', 'A'];
  const roll = random();
  if (roll < 0.05) return takeHint(game, seats[0]).game;
  if (roll < 0.1) return answerQuiz(game, seats[0], 'ESTABLISHED').game;
  for (const seat of seats) {
    const card = botCard(game, seat, { kind: 'erring', errorRate: 0.3 }, random);
    if (!card) continue;
    const result = playCard(game, seat, card, { deliverWrongCard: random() < 0.5 });
    return result.ok ? result.game : game;
  }
  const timer = game.timers[0];
  if (!timer) return null;
  const fired = fireTimer(game, timer.end, timer.kind);
  return fired.ok ? fired.game : null;
}

describe('the timeline change sent with an update', () => {
  it('rebuilds the next timeline exactly from the previous one, over 80 faulty games, move by move', () => {
    let moves = 0;
    let replaced = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const random = seededRandom(seed);
      let game = newGame({ mission: 'open-send-close', seed, difficulty: 'normal', faults: { loss: 0.2, duplicate: 0.15, reorder: 0.15 } });
      for (let i = 0; i < 300 && game.status === 'playing'; i++) {
        const before: TimelineEntry[] = structuredClone(game.timeline);
        const sentBase = game.timeline.slice();
        const next = nextMove(game, random);
        if (!next) break;
        // the old entries, as they were before the move: none was edited in place
        expect(game.timeline, `seed ${seed} move ${i}`).toEqual(before);
        const change = timelineChange(sentBase, next.timeline);
        if (change.from < sentBase.length) replaced += 1;
        expect(applyTimelineChange(before, change), `seed ${seed} move ${i}`).toEqual(next.timeline);
        game = next;
        moves += 1;
      }
    }
    expect(moves).toBeGreaterThan(1000);
    // deliveries turn "in flight" entries into "delivered" ones: the change does not only append
    expect(replaced).toBeGreaterThan(100);
  }, 60_000); // ~1.3 s alone; over 20 s on a loaded 2-core machine

  it('sends only the tail: a change at the end of a long timeline is short', () => {
    const entry = (at: number): TimelineEntry => ({ kind: 'timer', at, end: 'A', timer: 'rto', stateAfter: 'SYN-SENT' });
    const before = Array.from({ length: 50 }, (_, i) => entry(i));
    const after = [...before.slice(0, 49), entry(100), entry(101)];
    expect(timelineChange(before, after)).toEqual({ from: 49, tail: [entry(100), entry(101)] });
    expect(timelineChange(before, [])).toEqual({ from: 0, tail: [] });
  });

  it('refuses a change that does not fit the timeline held (a missed update)', () => {
    const held: TimelineEntry[] = [{ kind: 'timer', at: 0, end: 'A', timer: 'rto', stateAfter: 'SYN-SENT' }];
    expect(applyTimelineChange(held, { from: 2, tail: [] })).toBeNull();
    expect(applyTimelineChange(held, { from: -1, tail: [] })).toBeNull();
    expect(applyTimelineChange(held, { from: 1.5, tail: [] })).toBeNull();
    expect(applyTimelineChange(held, { from: 1, tail: [] })).toEqual(held);
  });
});

// What makes the above true, and more: a move copies what it changes and shares the rest with the game it
// came from (shared/game/game.ts cloneForMove), so it must never change the old game anywhere.
describe('a move', () => {
  it('never changes the game it was played on, anywhere in it, over 60 faulty games', () => {
    let moves = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      let game = newGame({ mission: 'open-send-close', seed, difficulty: 'normal', faults: { loss: 0.2, duplicate: 0.2, reorder: 0.2 } });
      for (let i = 0; i < 300 && game.status === 'playing'; i++) {
        const before = structuredClone(game);
        const next = nextMove(game, random);
        if (!next) break;
        expect(game, `seed ${seed} move ${i}`).toEqual(before);
        game = next;
        moves += 1;
      }
    }
    expect(moves).toBeGreaterThan(1000);
  }, 60_000); // ~1.6 s alone; over 20 s under the same load
});
