// What a member of a room may see of a game: everything but the answers (the segments each end owes) and
// the random source — its state and the seed it started from, either of which, with the moves everyone
// sees, would tell what the network will do next.

import type { GameView } from '../protocol/events.ts';
import type { GameState, TimelineEntry } from './types.ts';

/**
 * The game as members see it. `timeline`: the entries to send, when not all of them (an update carries only
 * the changed end of the timeline). The fields are listed one by one, so that a field added to the game is
 * shown only once it is added here (GameView's type asks for a required one; an optional one must be added
 * by hand) — and one object is made, not several.
 */
export function gameView(game: GameState, timeline: TimelineEntry[] = game.timeline): GameView {
  const { mission, difficulty, faults, iss, profile } = game.options;
  return {
    options: { mission, difficulty, faults, ...(iss === undefined ? {} : { iss }), ...(profile === undefined ? {} : { profile }) },
    world: { tcb: game.world.tcb, inFlight: game.world.inFlight },
    owes: { A: game.owed.A.length, B: game.owed.B.length },
    timers: game.timers,
    timeline,
    score: game.score,
    moves: game.moves,
    status: game.status,
    outcome: game.outcome,
    goals: game.goals,
    sentData: game.sentData,
    // each end's current retransmission timeout (ms), shown on the board even when no timer runs
    rto: game.rto,
  };
}
