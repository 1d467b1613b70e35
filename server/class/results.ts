// A round's results: the score of each player, the rows of the CSV export, the leaderboard and the podium.
import type { RefusalCode, SeatScore } from '../../shared/game/types.ts';
import type { LeaderboardEntry } from '../../shared/protocol/class.ts';

/** One row per player per round. */
export interface ResultRow {
  round: number;
  playerId: string;
  nickname: string;
  /** client = seat A (opens), server = seat B (listens) */
  role: 'client' | 'server';
  /** the partner's nickname, or "bot" */
  partner: string;
  mission: string;
  /** the round's difficulty ('normal' or 'hard'): a score in hard mode is not comparable with one in normal */
  difficulty: string;
  finished: boolean;
  /** seconds from the start of the round to the end of the pair's game (or of the round) */
  seconds: number;
  correct: number;
  mistakes: number;
  hints: number;
  mistakesByCode: Partial<Record<RefusalCode, number>>;
  score: number;
}

/**
 * score = 10 per correct card − 5 per mistake − 3 per hint, plus, if the pair finished the mission,
 * 50 and up to 50 more for speed (the share of the time limit left). Never below 0.
 */
export function scoreOf(score: SeatScore, finished: boolean, seconds: number, limitSeconds: number): number {
  let points = score.correct * 10 - score.mistakes * 5 - score.hints * 3;
  if (finished) points += 50 + Math.round(50 * Math.max(0, 1 - seconds / limitSeconds));
  return Math.max(0, points);
}

/** Totals by player, best first; ties share a rank. `round` is each player's score in round `lastRound`. */
export function leaderboard(rows: ResultRow[], names: Map<string, string>, lastRound: number): LeaderboardEntry[] {
  const totals = new Map<string, { total: number; round: number }>();
  for (const id of names.keys()) totals.set(id, { total: 0, round: 0 });
  for (const row of rows) {
    const entry = totals.get(row.playerId);
    if (!entry) continue; // a removed player
    entry.total += row.score;
    if (row.round === lastRound) entry.round += row.score;
  }
  const sorted = [...totals.entries()].sort(
    (a, b) => b[1].total - a[1].total || b[1].round - a[1].round || names.get(a[0])!.localeCompare(names.get(b[0])!),
  );
  const out: LeaderboardEntry[] = [];
  sorted.forEach(([playerId, { total, round }], i) => {
    const rank = i > 0 && out[i - 1].total === total ? out[i - 1].rank : i + 1;
    out.push({ rank, playerId, nickname: names.get(playerId)!, round, total });
  });
  return out;
}

/**
 * One CSV field: a text that a spreadsheet would read as a formula (= + - @, or a tab or carriage return
 * first) gets a leading apostrophe; a field with a comma, a quote or a line break is quoted, quotes doubled.
 */
export function csvField(value: string | number | boolean): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  'round',
  'nickname',
  'role',
  'partner',
  'mission',
  'difficulty',
  'finished',
  'seconds',
  'correct',
  'mistakes',
  'hints',
  'mistakes_by_code',
  'score',
] as const;

export function toCsv(rows: ResultRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const byCode = Object.entries(r.mistakesByCode)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([code, n]) => `${code}:${n}`)
      .join(' ');
    lines.push(
      [r.round, r.nickname, r.role, r.partner, r.mission, r.difficulty, r.finished ? 'yes' : 'no', r.seconds, r.correct, r.mistakes, r.hints, byCode, r.score]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
