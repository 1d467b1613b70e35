// The bots of a room: how a bot seat plays (its policy), its random source (the record's state, so a
// reloaded room plays on with the same bot) and its human-like pause before each card.
import { nextRandom } from '../../shared/game/rng.ts';
import type { BotPolicy } from '../../shared/game/types.ts';

/** The longest a bot retries after its own card was refused (an erring bot in normal mode) before playing right. */
export const BOT_MAX_REFUSALS = 3;

export function botPolicy(level: 'correct' | 'erring', refusalsInARow: number): BotPolicy {
  return level === 'erring' && refusalsInARow < BOT_MAX_REFUSALS ? { kind: 'erring', errorRate: 0.3 } : { kind: 'correct' };
}

/**
 * A random function over a record's bot state. With `commit`, each draw moves the state on (a card played);
 * without, it is a look that leaves the state as it was (is there a card to play at all?).
 */
export function botRandom(holder: { botRng: number }, commit: boolean): () => number {
  let state = holder.botRng;
  return () => {
    const drawn = nextRandom(state);
    state = drawn.state;
    if (commit) holder.botRng = drawn.state;
    return drawn.value;
  };
}

/** A pause in [min, max] ms, as a person takes to build a card. */
export function botPause([min, max]: [number, number], random: () => number = Math.random): number {
  return min + random() * (max - min);
}
