// npm run --silent level -- FILE [FILE…]
// Checks level files (format "handshake-level v1", docs/levels.md) and plays each one through the engine.
// A file with a mistake is refused: every mistake is printed with where it is (`script.A[0].when.state: …`).
// A file that loads is played by correct bots at both ends (an erring level: the bot's end makes the level's
// scripted mistakes, the player's end plays what its TCP owes); timers fire oldest first when nobody can
// move. The ladder of the game is printed, then whether it finished completed with every goal reached.
// Exits 1 if any file is refused or any level does not finish completed.

import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { MISSIONS } from '../shared/game/missions.ts';
import { botCard, fireTimer, loadLevel, newGame, playCard, type Card, type GameState, type Level, type Seat } from '../shared/game/index.ts';
import { seededRandom } from '../shared/game/rng.ts';

export interface LevelRun {
  game: GameState;
  events: number;
  /** the bot's wrong cards that were delivered (an erring level) */
  wrongCards: number;
  /** cards refused along the way (a correct player has none) */
  refusals: string[];
}

const seeded = seededRandom;

/** Make a level known to the engine for this run (newGame only knows missions by id). */
export function registerLevel(level: Level): void {
  MISSIONS[level.id] = level;
}

/** Play a level with bots at both seats until it ends; the bot's seat errs as the level scripts it. */
export function playLevel(level: Level, seed = 1, maxEvents = 400): LevelRun {
  registerLevel(level);
  const random = seeded(seed);
  const botSeat: Seat = level.player === 'A' ? 'B' : 'A';
  const erring = level.bot.kind === 'erring';
  let game = newGame({ mission: level.id, seed, difficulty: level.difficulty, faults: { loss: 0, duplicate: 0, reorder: 0 } });
  let events = 0;
  let wrongCards = 0;
  const refusals: string[] = [];
  const cardAt = (seat: Seat): Card | null =>
    botCard(game, seat, { kind: erring && seat === botSeat ? 'erring' : 'correct' }, random);
  while (game.status === 'playing' && events < maxEvents) {
    events++;
    const seat = (['A', 'B'] as const).find((s) => cardAt(s) !== null);
    if (seat) {
      const card = cardAt(seat) as Card;
      const result = playCard(game, seat, card, { deliverWrongCard: erring && seat === botSeat });
      if (!result.ok) {
        refusals.push(`${seat} ${describeCard(card)}: ${result.refusal.code}`);
        game = result.game;
        break;
      }
      if (!result.judgement.ok) wrongCards++;
      game = result.game;
      continue;
    }
    // Nobody can move: the timer that has waited longest fires (RTO 3 s runs out before 2 MSL 5 s).
    const timer = [...game.timers].sort((a, b) => a.since - b.since || timerRank(a) - timerRank(b))[0];
    if (!timer) break;
    const fired = fireTimer(game, timer.end, timer.kind);
    if (fired.ok) game = fired.game;
  }
  return { game, events, wrongCards, refusals };
}

/** Among timers started at the same move: RTO (3 s) before 2 MSL (5 s), then A before B. */
const timerRank = (timer: { end: Seat; kind: string }) => (timer.kind === 'rto' ? 0 : 2) + (timer.end === 'A' ? 0 : 1);

export function describeCard(card: Card): string {
  if (card.kind === 'call') return card.data ? `${card.call} "${card.data}"` : card.call;
  return `${card.flags.join(',')} seq=${card.seq} ack=${card.ack ?? '-'} len=${card.len}`;
}

/** The game's timeline as a ladder: calls and timers at their end, segments as arrows between the ends. */
export function ladder(game: GameState): string[] {
  const lines: string[] = [];
  for (const entry of game.timeline) {
    if (entry.kind === 'call') {
      const what = `${entry.call}${entry.data ? ` "${entry.data}"` : ''} → ${entry.stateAfter}`;
      lines.push(entry.end === 'A' ? `  A  ${what}` : `  ${' '.repeat(52)}B  ${what}`);
    } else if (entry.kind === 'timer') {
      const what = `timer ${entry.timer} → ${entry.stateAfter}`;
      lines.push(entry.end === 'A' ? `  A  ${what}` : `  ${' '.repeat(52)}B  ${what}`);
    } else {
      const s = entry.segment;
      const label = `${s.id} ${s.flags.join(',')} seq=${s.seq}${s.ack === null ? '' : ` ack=${s.ack}`}${s.len ? ` len=${s.len}` : ''}`;
      const body = ` ${label} `.padEnd(44, '─');
      const arrow = s.from === 'A' ? `A ──${body}──▶ B` : `A ◀──${body}── B`;
      const fate =
        entry.fate === 'lost'
          ? 'LOST'
          : entry.fate === 'in-flight'
            ? 'in flight'
            : `${entry.reaction ?? ''}, ${s.to} ${entry.receiverStateAfter ?? ''}`;
      const marks = [entry.wrongCard ? 'WRONG CARD' : '', entry.duplicate ? (s.id.startsWith('x') ? 'already on the wire' : 'duplicate') : '']
        .filter(Boolean)
        .join(', ');
      lines.push(`  ${arrow}  ${fate}${marks ? ` (${marks})` : ''}`);
    }
  }
  return lines;
}

function main(files: string[]): number {
  if (files.length === 0) {
    console.error('usage: npm run --silent level -- FILE [FILE…]');
    return 2;
  }
  let failed = 0;
  for (const file of files) {
    let value: unknown;
    try {
      value = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      console.log(`REFUSED ${file}\n  ${file}: cannot read it as JSON: ${(error as Error).message}`);
      failed++;
      continue;
    }
    const loaded = loadLevel(value, file);
    if (!loaded.ok) {
      console.log(`REFUSED ${file}`);
      for (const error of loaded.errors) console.log(`  ${error}`);
      failed++;
      continue;
    }
    const level = loaded.level;
    const run = playLevel(level);
    const { game } = run;
    const reached = level.goals.map((goal) => `${goal} ${game.goals.includes(goal) ? 'reached' : 'NOT reached'}`);
    const completed = game.status === 'finished' && game.outcome === 'completed' && level.goals.every((goal) => game.goals.includes(goal));
    console.log(`${completed ? 'ok  ' : 'FAIL'} ${file}: ${level.id} (chapter ${level.chapter}, order ${level.order}) ${level.title.en} / ${level.title.zh}`);
    console.log(`  player ${level.player}, bot ${level.bot.kind}${level.profile ? `, profile ${level.profile}` : ''}${level.network.length ? `, ${level.network.length} network rule(s)` : ''}${level.wire.length ? `, ${level.wire.length} segment(s) on the wire` : ''}`);
    for (const line of ladder(game)) console.log(line);
    for (const refusal of run.refusals) console.log(`  refused: ${refusal}`);
    console.log(`  final: A ${game.world.tcb.A.state}, B ${game.world.tcb.B.state}; ${game.status}${game.outcome ? ` (${game.outcome})` : ''} after ${run.events} events`);
    console.log(`  goals: ${reached.join(', ')}${run.wrongCards ? `; the bot's wrong cards delivered: ${run.wrongCards}` : ''}`);
    if (!completed) failed++;
  }
  console.log(`${files.length - failed} played to completion, ${failed} failed`);
  return failed > 0 ? 1 : 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exit(main(process.argv.slice(2)));
}
