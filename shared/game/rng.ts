// A seeded random source (mulberry32) whose whole state is one 32-bit number kept in the game, so a game
// replays exactly from its seed and its moves.

export function nextRandom(state: number): { value: number; state: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { value: ((t ^ (t >>> 14)) >>> 0) / 4294967296, state: next };
}

/** A random function over its own seeded state, for bots and tests that must replay. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    const drawn = nextRandom(state);
    state = drawn.state;
    return drawn.value;
  };
}
