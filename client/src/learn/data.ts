// The level path's texts and settings for the browser, read straight from the bundled level files.
// The files are checked with the level schema by the server and the tests (shared/levels/format.ts); the
// browser does not ship the schema checker (zod), so it reads the few fields it needs and fills in the same
// defaults the format documents (docs/levels.md): a correct bot, normal difficulty, no hints, quiz or story.
// This module is loaded on demand (Learn mode's chunk), never with the first page.
import { PATH_LEVELS } from '../../../shared/levels/path.ts';
import type { Level, LevelFile } from '../../../shared/levels/format.ts';

// Types only from the level format: they cost nothing in the bundle, and keep one definition of a level.
export type QuizCard = Level['quiz'][number];

/** What the browser needs of a level: its texts and settings, defaults filled in. */
export type PathLevel = Pick<Level, 'id' | 'chapter' | 'order' | 'title' | 'mission' | 'player' | 'difficulty' | 'hints' | 'quiz' | 'story'> & {
  bot: Level['bot']['kind'];
};

/** A level file as written: the fields with defaults may be left out. */
type RawLevel = Pick<LevelFile, 'id' | 'chapter' | 'order' | 'title' | 'mission' | 'player' | 'difficulty' | 'hints' | 'quiz' | 'story'> & {
  bot?: { kind?: Level['bot']['kind'] };
};

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
