// The learning path: level files bundled with the game. A new level is a JSON file in ./path/ and one line
// here; the format is checked when the game loads (shared/levels/format.ts, docs/levels.md).

export interface BundledLevel {
  file: unknown;
  source: string;
}

export const PATH_LEVELS: BundledLevel[] = [];
