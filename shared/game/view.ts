// What a member of a room may see of a game: everything but the answers (the segments each end owes) and
// the random source — its state and the seed it started from, either of which, with the moves everyone
// sees, would tell what the network will do next.

import type { GameView } from '../protocol/events.ts';
import type { GameState } from './types.ts';

export function gameView(game: GameState): GameView {
  const { owed, rng: _rng, answersToWrongCards: _answers, log: _log, world, options, ...visible } = game;
  const { seed: _seed, ...visibleOptions } = options;
  return {
    ...visible,
    options: visibleOptions,
    world: { tcb: world.tcb, inFlight: world.inFlight },
    owes: { A: owed.A.length, B: owed.B.length },
  };
}
