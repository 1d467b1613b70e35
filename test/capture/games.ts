// Whole games played by bots for the capture tests: the same seed and options play the same game.
import { botCard, fireTimer, newGame, playCard } from '../../shared/game/index.ts';
import { nextRandom } from '../../shared/game/rng.ts';
import type { BotPolicy, GameOptions, GameState, Seat } from '../../shared/game/types.ts';

export interface PlayedGameOptions extends Partial<GameOptions> {
  /** how each seat plays (default: both right) */
  policy?: Record<Seat, BotPolicy>;
  /** hard mode delivers a wrong card instead of refusing it */
  maxMoves?: number;
}

/** Play until the game is over: each seat plays what its bot would, timers fire when nothing else can happen. */
export function playedGame(options: PlayedGameOptions = {}): GameState {
  const { policy = { A: { kind: 'correct' }, B: { kind: 'correct' } }, maxMoves = 200, ...gameOptions } = options;
  let game = newGame({
    mission: 'open-send-close',
    seed: 7,
    difficulty: 'normal',
    faults: { loss: 0, duplicate: 0, reorder: 0 },
    ...gameOptions,
  });
  let rng = 12345;
  const random = () => {
    const drawn = nextRandom(rng);
    rng = drawn.state;
    return drawn.value;
  };
  for (let moves = 0; moves < maxMoves && game.status === 'playing'; moves++) {
    let played = false;
    for (const seat of ['A', 'B'] as const) {
      const card = botCard(game, seat, policy[seat], random);
      if (!card) continue;
      const deliverWrongCard = policy[seat].kind === 'erring';
      const result = playCard(game, seat, card, { deliverWrongCard });
      game = result.game;
      played = true;
      break;
    }
    if (played) continue;
    const timer = game.timers[0];
    if (!timer) break;
    game = fireTimer(game, timer.end, timer.kind).game;
  }
  return game;
}
