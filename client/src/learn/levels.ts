// The level path as the browser sees it: the bundled levels in order, which are unlocked, how a finished
// round is scored, and the state of the level being played (hints shown, quiz cards answered).
import type { GameState, Seat } from '../../../shared/game/types.ts';
import { LEVELS, type PathLevel } from './data.ts';
import { progress } from './progress.ts';

export { LEVELS };
export type Level = PathLevel;

export function levelIndex(id: string): number {
  return LEVELS.findIndex((level) => level.id === id);
}

/** The path's level a room plays, if it plays one. */
export function levelOf(missionId: string | undefined | null): Level | null {
  if (!missionId) return null;
  const i = levelIndex(missionId);
  return i >= 0 ? LEVELS[i]! : null;
}

/** "01", "02", … the level's place on the path. */
export function levelNumber(level: Level): string {
  return String(levelIndex(level.id) + 1).padStart(2, '0');
}

export function nextLevel(level: Level): Level | null {
  return LEVELS[levelIndex(level.id) + 1] ?? null;
}

export function isDone(id: string): boolean {
  return progress().levels[id]?.done ?? false;
}

export function allDone(): boolean {
  return LEVELS.every((level) => isDone(level.id));
}

/** A level is open when the one before it is finished; every level is open once the path is done, or when a teacher says so. */
export function isUnlocked(level: Level): boolean {
  const i = levelIndex(level.id);
  if (i <= 0 || progress().showAll || allDone()) return true;
  return isDone(LEVELS[i - 1]!.id);
}

/** The first unlocked level not finished yet (where to continue), or null when the path is done. */
export function continueLevel(): Level | null {
  return LEVELS.find((level) => !isDone(level.id) && isUnlocked(level)) ?? null;
}

export interface Verdict {
  finished: boolean;
  mistakes: number;
  hints: number;
  stars: number;
  score: number;
  /** which of the three stars were earned */
  earned: [boolean, boolean, boolean];
}

/** Stars: 1 for finishing, 2 with at most one mistake, 3 with that and no hints. Score: 100 less 15 a mistake and 10 a hint. */
export function judge(game: Pick<GameState, 'status' | 'outcome' | 'score'>, seat: Seat, levelHints: number): Verdict {
  const finished = game.status === 'finished' && game.outcome === 'completed';
  const mistakes = game.score[seat].mistakes;
  const hints = game.score[seat].hints + levelHints;
  const earned: [boolean, boolean, boolean] = [finished, finished && mistakes <= 1, finished && mistakes <= 1 && hints === 0];
  const stars = earned.filter(Boolean).length;
  const score = finished ? Math.max(10, 100 - 15 * mistakes - 10 * hints) : 0;
  return { finished, mistakes, hints, stars, score, earned };
}

// ------------------------------------------------------------------ the level being played

export interface LevelSession {
  /** room code and round: a new round (replay, rematch) is a new session */
  key: string;
  levelId: string;
  hintsShown: number;
  quiz: { index: number; chosen: number | null; checked: boolean; right: number };
  recorded: { stars: number; score: number; best: number; newBest: boolean } | null;
}

let session: LevelSession | null = null;

/** The session for this room and round, created on first use. */
export function sessionFor(code: string, round: number, levelId: string): LevelSession {
  const key = `${code}#${round}`;
  if (!session || session.key !== key) {
    session = { key, levelId, hintsShown: 0, quiz: { index: 0, chosen: null, checked: false, right: 0 }, recorded: null };
  }
  return session;
}
