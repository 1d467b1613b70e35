// Learn mode's rules that need no browser: the stored progress (a versioned key; anything malformed is
// ignored, never a crash), the stars, the unlocking of the path, and the browser's copy of the level files
// (read without the schema checker) agreeing with the checked levels.
import { beforeEach, describe, expect, it } from 'vitest';
import { LEVELS as CHECKED } from '../../shared/game/missions.ts';
import type { GameState, Seat } from '../../shared/game/types.ts';
import { LEVELS } from '../../client/src/learn/data.ts';
import { isUnlocked, judge, continueLevel } from '../../client/src/learn/levels.ts';
import { parseProgress, PROGRESS_KEY, recordResult, reloadProgress, setShowAll } from '../../client/src/learn/progress.ts';

class MemoryStorage {
  private data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}

beforeEach(() => {
  (globalThis as { localStorage?: unknown }).localStorage = new MemoryStorage();
  reloadProgress();
});

type Scored = Pick<GameState, 'status' | 'outcome' | 'score'>;
function game(finished: boolean, mistakes: number, hints: number, outcome: GameState['outcome'] = 'completed'): Scored {
  const score = (m: number, h: number) => ({ correct: 3, mistakes: m, hints: h, mistakesByCode: {}, quizRight: 0, quizWrong: 0 });
  return { status: finished ? 'finished' : 'playing', outcome: finished ? outcome : null, score: { A: score(mistakes, hints), B: score(0, 0) } as Record<Seat, ReturnType<typeof score>> };
}

describe('stored progress', () => {
  it('ignores what it did not write', () => {
    for (const raw of [null, '', 'not json', '[]', '42', 'null', '{"levels":{}}', '{"v":0,"levels":{"l01-fields":{"stars":3,"best":100}}}', '{"v":1,"levels":[]}']) {
      expect(parseProgress(raw)).toEqual({ levels: {}, showAll: false });
    }
  });

  it('keeps the well-formed entries of a partly broken value', () => {
    const parsed = parseProgress(
      JSON.stringify({ v: 1, showAll: 'yes', levels: { 'l01-fields': { stars: 2, best: 85, done: true }, 'l02-handshake-client': { stars: 'three', best: 1 }, 'BAD ID': { stars: 1, best: 1 }, 'l03-handshake-server': { stars: 9, best: -4 } } }),
    );
    expect(parsed.showAll).toBe(false);
    expect(parsed.levels).toEqual({ 'l01-fields': { stars: 2, best: 85, done: true }, 'l03-handshake-server': { stars: 3, best: 0, done: true } });
  });

  it('keeps the best result under one versioned key', () => {
    expect(recordResult('l01-fields', { stars: 2, score: 90, done: true }).newBest).toBe(true);
    expect(recordResult('l01-fields', { stars: 1, score: 55, done: true })).toMatchObject({ newBest: false, entry: { stars: 2, best: 90, done: true } });
    setShowAll(true);
    expect(JSON.parse(localStorage.getItem(PROGRESS_KEY)!)).toEqual({ v: 1, showAll: true, levels: { 'l01-fields': { stars: 2, best: 90, done: true } } });
    reloadProgress();
    expect(parseProgress(localStorage.getItem(PROGRESS_KEY)).levels['l01-fields']!.best).toBe(90);
  });

  it('survives a storage that throws', () => {
    (globalThis as { localStorage?: unknown }).localStorage = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
    };
    reloadProgress();
    expect(recordResult('l01-fields', { stars: 3, score: 100, done: true }).entry.stars).toBe(3);
  });
});

describe('stars', () => {
  it('1 for finishing, 2 with at most one mistake, 3 with that and no hints', () => {
    expect(judge(game(true, 0, 0), 'A', 0)).toMatchObject({ stars: 3, score: 100, earned: [true, true, true] });
    expect(judge(game(true, 1, 0), 'A', 0)).toMatchObject({ stars: 3, score: 85 });
    expect(judge(game(true, 1, 0), 'A', 1)).toMatchObject({ stars: 2, earned: [true, true, false] });
    expect(judge(game(true, 0, 2), 'A', 0)).toMatchObject({ stars: 2, hints: 2 });
    expect(judge(game(true, 2, 0), 'A', 0)).toMatchObject({ stars: 1, earned: [true, false, false] });
    expect(judge(game(true, 9, 9), 'A', 3).score).toBe(10);
    expect(judge(game(true, 0, 0, 'reset'), 'A', 0)).toMatchObject({ stars: 0, finished: false, score: 0 });
    expect(judge(game(false, 0, 0), 'A', 0).stars).toBe(0);
  });
});

describe('the path in the browser', () => {
  it('reads the same levels, settings and texts as the checked files', () => {
    expect(LEVELS.map((l) => l.id)).toEqual(CHECKED.map((l) => l.id));
    for (const [i, level] of LEVELS.entries()) {
      const checked = CHECKED[i]!;
      expect({ player: level.player, difficulty: level.difficulty, bot: level.bot, hints: level.hints, quiz: level.quiz, story: level.story, title: level.title, mission: level.mission }).toEqual({
        player: checked.player,
        difficulty: checked.difficulty,
        bot: checked.bot.kind,
        hints: checked.hints,
        quiz: checked.quiz,
        story: checked.story,
        title: checked.title,
        mission: checked.mission,
      });
    }
    expect(LEVELS.find((l) => l.id === 'l17-erring-bot')!.bot).toBe('erring');
  });

  it('opens a level when the one before is finished, and all of them for a teacher or a finished path', () => {
    expect(LEVELS.map(isUnlocked).filter(Boolean)).toHaveLength(1);
    expect(continueLevel()!.id).toBe(LEVELS[0]!.id);
    recordResult(LEVELS[0]!.id, { stars: 1, score: 40, done: true });
    expect(isUnlocked(LEVELS[1]!)).toBe(true);
    expect(isUnlocked(LEVELS[2]!)).toBe(false);
    recordResult(LEVELS[1]!.id, { stars: 0, score: 0, done: false }); // played, not finished
    expect(isUnlocked(LEVELS[2]!)).toBe(false);
    expect(continueLevel()!.id).toBe(LEVELS[1]!.id);
    setShowAll(true);
    expect(LEVELS.every(isUnlocked)).toBe(true);
    setShowAll(false);
    for (const level of LEVELS) recordResult(level.id, { stars: 1, score: 40, done: true });
    expect(LEVELS.every(isUnlocked)).toBe(true);
    expect(continueLevel()).toBeNull();
  });
});
