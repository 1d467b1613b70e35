// The player's progress on the level path, kept in this browser under one versioned key. Anything that is
// not exactly what this version wrote (an old version, a hand-edited value, another program's data) is
// ignored level by level, never trusted and never a crash: the worst case is a fresh start.

export const PROGRESS_KEY = 'handshake.learn.v1';
const VERSION = 1;

export interface LevelProgress {
  /** best stars earned, 0–3 */
  stars: number;
  /** best score, 0–100 */
  best: number;
  /** finished at least once (the goal reached) */
  done: boolean;
}

export interface Progress {
  levels: Record<string, LevelProgress>;
  /** a teacher's switch: every level open */
  showAll: boolean;
}

const empty = (): Progress => ({ levels: {}, showAll: false });

function clampInt(value: unknown, min: number, max: number): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.max(min, Math.min(max, Math.round(value)));
}

/** Read a stored value; only well-formed entries survive. */
export function parseProgress(raw: string | null): Progress {
  const out = empty();
  if (!raw) return out;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return out;
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) return out;
  const record = data as Record<string, unknown>;
  if (record.v !== VERSION) return out;
  out.showAll = record.showAll === true;
  const levels = record.levels;
  if (!levels || typeof levels !== 'object' || Array.isArray(levels)) return out;
  for (const [id, entry] of Object.entries(levels as Record<string, unknown>)) {
    if (!/^[a-z0-9][a-z0-9-]{1,40}$/.test(id) || !entry || typeof entry !== 'object') continue;
    const e = entry as Record<string, unknown>;
    const stars = clampInt(e.stars, 0, 3);
    const best = clampInt(e.best, 0, 100);
    if (stars === null || best === null) continue;
    out.levels[id] = { stars, best, done: e.done === true || stars > 0 };
  }
  return out;
}

export function loadProgress(): Progress {
  try {
    return parseProgress(localStorage.getItem(PROGRESS_KEY));
  } catch {
    return empty();
  }
}

function save(progress: Progress): void {
  try {
    localStorage.setItem(PROGRESS_KEY, JSON.stringify({ v: VERSION, showAll: progress.showAll, levels: progress.levels }));
  } catch {
    /* private mode or a full store: progress lives as long as the page */
  }
}

let cache: Progress | null = null;

export function progress(): Progress {
  cache ??= loadProgress();
  return cache;
}

/** Keep the better of the stored result and this one; says whether the score is a new best. */
export function recordResult(id: string, result: { stars: number; score: number; done: boolean }): { newBest: boolean; entry: LevelProgress } {
  const p = progress();
  const old = p.levels[id];
  const entry: LevelProgress = {
    stars: Math.max(old?.stars ?? 0, result.stars),
    best: Math.max(old?.best ?? 0, result.score),
    done: (old?.done ?? false) || result.done,
  };
  p.levels[id] = entry;
  save(p);
  return { newBest: result.done && result.score > (old?.best ?? 0), entry };
}

export function setShowAll(on: boolean): void {
  const p = progress();
  p.showAll = on;
  save(p);
}

/** Forget the cached copy (tests, or another tab's change). */
export function reloadProgress(): void {
  cache = null;
}
