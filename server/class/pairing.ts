// Pairing for a round: roles alternate (whoever was the client A last round is the server B now), an odd
// player out plays against a bot, a class keeps last round's partners where it can, and a workshop rotates
// partners, avoiding anyone a player has already met when possible. Pure: a random source comes in.
import type { Seat } from '../../shared/game/types.ts';

export interface PairingPlayer {
  id: string;
  /** the seat played last round, null for someone who has not played yet */
  lastRole: Seat | null;
  lastPartner: string | null;
  /** everyone this player has been paired with */
  met: ReadonlySet<string>;
}

/** A pair: the player in each seat, or null for a bot. */
export type Pair = Record<Seat, string | null>;

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

export function pairPlayers(players: PairingPlayer[], mode: 'class' | 'workshop', random: () => number): Pair[] {
  // who wants which seat this round: the other one than last round
  const wantA = shuffle(players.filter((p) => p.lastRole === 'B'), random);
  const wantB = shuffle(players.filter((p) => p.lastRole === 'A'), random);
  for (const fresh of shuffle(players.filter((p) => p.lastRole === null), random)) {
    (wantA.length <= wantB.length ? wantA : wantB).push(fresh);
  }
  // more on one side than one bot can fill: a few must play the same seat again (as few as possible)
  while (wantA.length > wantB.length + 1) wantB.push(wantA.pop()!);
  while (wantB.length > wantA.length + 1) wantA.push(wantB.pop()!);

  const byId = new Map(players.map((p) => [p.id, p]));
  const met = (a: string, b: string) => byId.get(a)!.met.has(b) || byId.get(b)!.met.has(a);
  // a class keeps its pairs (the roles swap, as in a rematch)
  const pairs: Pair[] = [];
  const free = new Set(wantB.map((p) => p.id));
  const left: PairingPlayer[] = [];
  for (const a of wantA) {
    if (mode === 'class' && a.lastPartner && free.has(a.lastPartner)) {
      free.delete(a.lastPartner);
      pairs.push({ A: a.id, B: a.lastPartner });
    } else {
      left.push(a);
    }
  }
  // the rest are matched greedily at random, each to someone not met yet if there is one; a greedy pass can
  // paint itself into a corner, so a few passes are tried and the one with the fewest repeats kept
  let best: Pair[] = [];
  let bestRepeats = Infinity;
  for (let attempt = 0; attempt < 40 && bestRepeats > 0; attempt += 1) {
    const open = new Set(free);
    const trial: Pair[] = [];
    let repeats = 0;
    for (const a of attempt === 0 ? left : shuffle(left, random)) {
      if (open.size === 0) {
        trial.push({ A: a.id, B: null });
        continue;
      }
      const candidates = [...open];
      const fresh = candidates.filter((id) => !met(a.id, id));
      const pool = fresh.length > 0 ? fresh : candidates;
      const b = pool[Math.floor(random() * pool.length) % pool.length];
      if (fresh.length === 0) repeats += 1;
      open.delete(b);
      trial.push({ A: a.id, B: b });
    }
    for (const b of open) trial.push({ A: null, B: b });
    if (repeats < bestRepeats) {
      best = trial;
      bestRepeats = repeats;
    }
  }
  pairs.push(...best);
  return pairs;
}
