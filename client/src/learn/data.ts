// The level path's texts and settings for the browser, read straight from the bundled level files.
// The files are checked with the level schema by the server and the tests (shared/levels/format.ts); the
// browser does not ship the schema checker (zod), so it reads the few fields it needs and fills in the same
// defaults the format documents (docs/levels.md): a correct bot, normal difficulty, no hints, quiz or story.
// This module is loaded on demand (Learn mode's chunk), never with the first page.
import { PATH_LEVELS } from '../../../shared/levels/path.ts';
import type { LocalizedText, Seat } from '../../../shared/game/types.ts';
import type { Difficulty } from '../../../shared/game/types.ts';

export interface QuizCard {
  question: LocalizedText;
  choices: LocalizedText[];
  answer: number;
  explanation: LocalizedText;
}

export interface PathLevel {
  id: string;
  chapter: number;
  order: number;
  title: LocalizedText;
  mission: LocalizedText;
  player: Seat;
  difficulty: Difficulty;
  bot: 'correct' | 'erring';
  hints: LocalizedText[];
  quiz: QuizCard[];
  story: { who: Seat; line: LocalizedText }[];
}

interface RawLevel {
  id: string;
  chapter: number;
  order: number;
  title: LocalizedText;
  mission: LocalizedText;
  player: Seat;
  difficulty?: Difficulty;
  bot?: { kind?: 'correct' | 'erring' };
  hints?: LocalizedText[];
  quiz?: QuizCard[];
  story?: { who: Seat; line: LocalizedText }[];
}

function fromFile(file: unknown): PathLevel {
  const raw = file as RawLevel;
  return {
    id: raw.id,
    chapter: raw.chapter,
    order: raw.order,
    title: raw.title,
    mission: raw.mission,
    player: raw.player,
    difficulty: raw.difficulty ?? 'normal',
    bot: raw.bot?.kind ?? 'correct',
    hints: raw.hints ?? [],
    quiz: raw.quiz ?? [],
    story: raw.story ?? [],
  };
}

/** The path, in order: by chapter, then by order. */
export const LEVELS: PathLevel[] = PATH_LEVELS.map(({ file }) => fromFile(file)).sort((a, b) => a.chapter - b.chapter || a.order - b.order);
