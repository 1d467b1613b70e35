// The class's pure parts: pairing (roles alternate, a bot for the odd player, workshops rotate partners),
// the CSV's quoting and formula guard, scoring, and the feed's throttle.
import { describe, expect, it } from 'vitest';
import { Throttle } from '../../server/class/feed.ts';
import { pairPlayers, type PairingPlayer } from '../../server/class/pairing.ts';
import { csvField, scoreOf, toCsv } from '../../server/class/results.ts';
import type { Seat } from '../../shared/game/types.ts';
import { sleep } from './helpers.ts';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x80000000;
  };
}

function simulate(count: number, rounds: number, mode: 'class' | 'workshop', seed = 1) {
  const players = Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    lastRole: null as Seat | null,
    lastPartner: null as string | null,
    met: new Set<string>(),
  }));
  const random = seeded(seed);
  const history: ReturnType<typeof pairPlayers>[] = [];
  let repeats = 0;
  let sameRole = 0;
  for (let r = 0; r < rounds; r += 1) {
    const pairs = pairPlayers(players, mode, random);
    history.push(pairs);
    const seen = new Set<string>();
    for (const pair of pairs) {
      for (const seat of ['A', 'B'] as const) {
        const id = pair[seat];
        if (!id) continue;
        expect(seen.has(id)).toBe(false);
        seen.add(id);
        const p = players.find((x) => x.id === id)!;
        const partner = pair[seat === 'A' ? 'B' : 'A'];
        if (p.lastRole === seat) sameRole += 1;
        if (partner && p.met.has(partner)) repeats += 1;
        p.lastRole = seat;
        p.lastPartner = partner;
        if (partner) p.met.add(partner);
      }
    }
    expect(seen.size).toBe(count);
  }
  return { history, repeats, sameRole };
}

describe('pairing', () => {
  it('gives the odd player a bot and alternates everyone’s role', () => {
    const { history, sameRole } = simulate(7, 4, 'class');
    for (const pairs of history) {
      expect(pairs).toHaveLength(4);
      expect(pairs.filter((p) => p.A === null || p.B === null)).toHaveLength(1);
    }
    expect(sameRole).toBe(0);
  });

  it('keeps a class’s pairs (roles swapped) and rotates a workshop’s partners without repeats while it can', () => {
    const kept = simulate(8, 3, 'class');
    const key = (p: { A: string | null; B: string | null }) => [p.A, p.B].sort().join('+');
    expect(new Set(kept.history[1].map(key))).toEqual(new Set(kept.history[0].map(key)));
    // 8 players, 4 client and 4 server each round: 4 rounds without meeting anyone twice is possible
    const rotated = simulate(8, 4, 'workshop', 7);
    expect(rotated.repeats).toBe(0);
    expect(rotated.sameRole).toBe(0);
  });

  it('handles one player and nobody', () => {
    expect(pairPlayers([], 'class', Math.random)).toEqual([]);
    const one = pairPlayers([{ id: 'x', lastRole: null, lastPartner: null, met: new Set() }], 'workshop', Math.random);
    expect(one).toEqual([{ A: 'x', B: null }]);
  });
});

describe('results', () => {
  it('quotes CSV fields and guards against formula injection', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    for (const lead of ['=', '+', '-', '@']) expect(csvField(`${lead}1+1`)).toBe(`'${lead}1+1`);
    expect(csvField('=HYPERLINK("x","y")')).toBe(`"'=HYPERLINK(""x"",""y"")"`);
    expect(csvField(-3)).toBe('-3');
    expect(csvField(true)).toBe('true');
    const csv = toCsv([]);
    expect(csv.split('\r\n')[0]).toContain('nickname');
  });

  it('scores correct cards, mistakes, hints and time', () => {
    const base = { correct: 5, mistakes: 0, hints: 0, mistakesByCode: {}, quizRight: 0, quizWrong: 0 };
    expect(scoreOf(base, false, 10, 100)).toBe(50);
    expect(scoreOf(base, true, 0, 100)).toBe(150);
    expect(scoreOf(base, true, 50, 100)).toBe(125);
    expect(scoreOf({ ...base, mistakes: 2, hints: 1 }, false, 10, 100)).toBe(50 - 10 - 3);
    expect(scoreOf({ ...base, correct: 0, mistakes: 9 }, false, 10, 100)).toBe(0);
  });
});

describe('the feed throttle', () => {
  it('sends at most once per interval however often it is poked, and the last change always goes out', async () => {
    let sent = 0;
    const throttle = new Throttle(100, () => {
      sent += 1;
    });
    const end = Date.now() + 500;
    while (Date.now() < end) {
      throttle.poke();
      await sleep(2);
    }
    await sleep(150);
    expect(sent).toBeGreaterThanOrEqual(4);
    expect(sent).toBeLessThanOrEqual(7);
    throttle.stop();
  });
});
