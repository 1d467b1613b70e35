// What a member of a room may see of a game: everything but the answers (the segments each end owes) and
// the state of the random source (which would tell what the network will do next).

import type { GameView } from '../protocol/events.ts';
import type { GameState } from './types.ts';

export function gameView(game: GameState): GameView {
  const { owed, rng: _rng, answersToWrongCards: _answers, log: _log, world, ...visible } = game;
  return { ...visible, world: { tcb: world.tcb, inFlight: world.inFlight }, owes: { A: owed.A.length, B: owed.B.length } };
}
