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

  const pairs: Pair[] = [];
  const free = new Set(wantB.map((p) => p.id));
  const byId = new Map(players.map((p) => [p.id, p]));
  const left: PairingPlayer[] = [];
  // a class keeps its pairs (the roles swap, as in a rematch)
  for (const a of wantA) {
    if (mode === 'class' && a.lastPartner && free.has(a.lastPartner)) {
      free.delete(a.lastPartner);
      pairs.push({ A: a.id, B: a.lastPartner });
    } else {
      left.push(a);
    }
  }
  for (const a of left) {
    if (free.size === 0) {
      pairs.push({ A: a.id, B: null });
      continue;
    }
    const candidates = [...free];
    const fresh = candidates.filter((id) => !a.met.has(id) && !byId.get(id)!.met.has(a.id));
    const pool = fresh.length > 0 ? fresh : candidates;
    const b = pool[Math.floor(random() * pool.length) % pool.length];
    free.delete(b);
    pairs.push({ A: a.id, B: b });
  }
  for (const b of free) pairs.push({ A: null, B: b });
  return pairs;
}
