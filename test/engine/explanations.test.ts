// Explanations a player can trust, as a whole: property games (random interleavings of bot moves, user calls,
// timers and wrong cards delivered anyway, on lossy networks, in every mission and level) reach many
// positions; at each one, for both seats, cards built to break every rule are judged, and every explanation,
// in both languages, must quote only numbers that are on the board (either end's ISS, IRS, SND.UNA, SND.NXT,
// RCV.NXT), in a segment that reached this end, in the card played or in the right card; every "SND.NXT = n"
// it states must be the board's value; every sum it writes must be right; and no slot may be left empty.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  botCard,
  CARD_LIMITS,
  fireTimer,
  hintFor,
  judgeCard,
  MISSIONS,
  newGame,
  playCard,
  REFUSAL_CODES,
  type Card,
  type GameState,
  type Judgement,
  type LocalizedText,
  type RefusalCode,
  type Seat,
} from '../../shared/game/index.ts';
import { seededRandom } from '../../shared/game/rng.ts';
import { seqAdd } from '../../shared/tcp/seq.ts';
import { FLAGS, TCP_STATES, type Flag, type SegmentFields, type Tcb } from '../../shared/tcp/types.ts';

// ---------------------------------------------------------------------------------------------------------
// What an explanation may say

const NAMED: Record<string, (tcb: Tcb) => number> = {
  'SND.NXT': (tcb) => tcb.sndNxt,
  'SND.UNA': (tcb) => tcb.sndUna,
  'RCV.NXT': (tcb) => tcb.rcvNxt,
  ISS: (tcb) => tcb.iss,
  IRS: (tcb) => tcb.irs,
};

/** Slots a template left empty or filled with nothing: each with a name, for the failure message. */
const EMPTY_SLOTS: [string, RegExp][] = [
  ['a missing value', /undefined|NaN|\bnull\b|\[object /],
  ['empty brackets or quotes', /\(\s*\)|（\s*）|“\s*”|"\s*"/],
  ['a list that ends in nothing', /\band\s*[:,.;]|并且\s*[：，。；]|和\s*[：，。；]/],
  ['a sum with nothing added', / \+ 0 = /],
  ['two spaces', / {2}/],
  ['a space before punctuation', / [.,:;)]/],
  ['a space after Chinese punctuation', /[。，：；！？（）] /],
];

const STATE_NAMES = new RegExp(TCP_STATES.join('|'), 'g');

/** Every number a text quotes, after the RFC citations and the width of a field ("32-bit") are taken out. */
function quotedNumbers(text: string): string[] {
  const plain = text
    .replace(STATE_NAMES, '')
    .replace(/RFC \d+/g, '')
    .replace(/§\d+(?:\.\d+)*/g, '')
    .replace(/32-bit|32 位|2\^32/g, '');
  return plain.match(/-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/gi) ?? [];
}

function numbersOf(value: unknown): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const card = value as Record<string, unknown>;
  return [card.seq, card.ack, card.len].filter((n) => n !== null && n !== undefined).map((n) => String(n));
}

/** The numbers a player can see when the explanation is shown: the board, the segments that reached them, the cards. */
function allowedNumbers(game: GameState, seat: Seat, played: unknown, judgement: Judgement): Set<string> {
  const allowed = new Set<string>(['0', '1', String(CARD_LIMITS.seqMax), String(CARD_LIMITS.lenMax), String(CARD_LIMITS.dataMaxChars)]);
  for (const end of ['A', 'B'] as const) {
    const tcb = game.world.tcb[end];
    for (const read of Object.values(NAMED)) allowed.add(String(read(tcb)));
  }
  for (const entry of game.timeline) {
    if (entry.kind !== 'segment' || entry.segment.to !== seat || entry.fate !== 'delivered') continue;
    for (const n of numbersOf(entry.segment)) allowed.add(n);
  }
  for (const n of numbersOf(played)) allowed.add(n);
  if (!judgement.ok) for (const n of numbersOf(judgement.hint)) allowed.add(n);
  return allowed;
}

/** Everything wrong with one explanation (empty when it can be trusted). */
function untrustworthy(game: GameState, seat: Seat, played: unknown, judgement: Judgement): string[] {
  const problems: string[] = [];
  const text: LocalizedText = judgement.explanation;
  const allowed = allowedNumbers(game, seat, played, judgement);
  const tcb = game.world.tcb[seat];
  for (const lang of ['en', 'zh'] as const) {
    const words = text[lang];
    for (const [what, pattern] of EMPTY_SLOTS) if (pattern.test(words)) problems.push(`${lang}: ${what}`);
    if (lang === 'zh' && /[,:;!?()"][\u4e00-\u9fff]|[\u4e00-\u9fff][,:;!?()"]/.test(words)) problems.push('zh: ASCII punctuation next to Chinese');
    for (const n of quotedNumbers(words)) if (!allowed.has(n)) problems.push(`${lang}: ${n} is nowhere on the board`);
    for (const [, name, value] of words.matchAll(/(SND\.NXT|SND\.UNA|RCV\.NXT|ISS|IRS) = (\d+)/g)) {
      const board = NAMED[name](tcb);
      if (Number(value) !== board) problems.push(`${lang}: says ${name} = ${value}, the board shows ${board}`);
    }
    for (const [, terms, sum] of words.matchAll(/(\d+(?: \+ \d+)+) = (\d+)/g)) {
      const total = terms.split(' + ').reduce((acc, term) => seqAdd(acc, Number(term)), 0);
      if (total !== Number(sum)) problems.push(`${lang}: ${terms} is not ${sum}`);
    }
  }
  const en = [...quotedNumbers(text.en)].sort().join(' ');
  const zh = [...quotedNumbers(text.zh)].sort().join(' ');
  if (en !== zh) problems.push(`the languages quote different numbers: en [${en}], zh [${zh}]`);
  return problems;
}

// ---------------------------------------------------------------------------------------------------------
// Cards built to break every rule

function lastArrival(game: GameState, seat: Seat): SegmentFields | null {
  for (let i = game.timeline.length - 1; i >= 0; i--) {
    const entry = game.timeline[i];
    if (entry.kind === 'segment' && entry.segment.to === seat && entry.fate === 'delivered') return entry.segment;
  }
  return null;
}

function wrongCards(game: GameState, seat: Seat): unknown[] {
  const tcb = game.world.tcb[seat];
  const cards: unknown[] = [
    null,
    { kind: 'call', call: 'explode' },
    { kind: 'call', call: 'send', data: 'x'.repeat(CARD_LIMITS.dataMaxChars + 1) },
    { kind: 'segment', flags: ['ACK'], seq: 1, ack: null, len: 0 },
    { kind: 'segment', flags: ['SYN', 'XMAS'], seq: 1, ack: null, len: 0 },
    { kind: 'segment', flags: ['SYN'], seq: 2 ** 32, ack: null, len: 0 },
    { kind: 'segment', flags: ['ACK'], seq: 1, ack: 1.5, len: 0 },
    { kind: 'segment', flags: ['SYN'], seq: 1, ack: null, len: -1 },
    { kind: 'segment', flags: [], seq: tcb.sndNxt, ack: tcb.rcvNxt, len: 0 },
  ];
  for (const call of ['listen', 'connect', 'send', 'close', 'abort']) cards.push({ kind: 'call', call, ...(call === 'send' ? { data: 'HI' } : {}) });
  const owed = game.owed[seat];
  const bases: SegmentFields[] = owed.length > 0 ? owed : [{ flags: ['ACK'], seq: tcb.sndNxt, ack: tcb.rcvNxt, len: 0 }];
  const peer = lastArrival(game, seat);
  for (const base of bases) {
    const card = { kind: 'segment' as const, flags: [...base.flags] as Flag[], seq: base.seq, ack: base.ack, len: base.len };
    cards.push(card);
    for (const seq of [seqAdd(card.seq, 1), seqAdd(card.seq, -1), tcb.sndNxt, tcb.sndUna, tcb.iss, 0]) cards.push({ ...card, seq });
    if (card.ack !== null) {
      for (const ack of [seqAdd(card.ack, 1), seqAdd(card.ack, -1), tcb.rcvNxt, peer?.seq ?? 0]) cards.push({ ...card, ack });
    }
    for (const len of [card.len + 1, card.len === 0 ? 5 : 0]) cards.push({ ...card, len });
    for (const flag of FLAGS) {
      const flags = card.flags.includes(flag) ? card.flags.filter((f) => f !== flag) : [...card.flags, flag];
      const ack = flag !== 'ACK' ? card.ack : flags.includes('ACK') ? tcb.rcvNxt : null;
      cards.push({ ...card, flags, ack });
    }
    if (card.ack === null) cards.push({ ...card, ack: tcb.rcvNxt });
  }
  return cards;
}

// ---------------------------------------------------------------------------------------------------------
// The property games

type Action =
  | { kind: 'bot'; seat: Seat }
  | { kind: 'wrong'; seat: Seat; pick: number }
  | { kind: 'call'; seat: Seat; call: 'listen' | 'connect' | 'send' | 'close' | 'abort' }
  | { kind: 'timer'; pick: number };

const seat = fc.constantFrom<Seat>('A', 'B');
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('bot' as const), seat }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('wrong' as const), seat, pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('call' as const), seat, call: fc.constantFrom('listen', 'connect', 'send', 'close', 'abort') }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('timer' as const), pick: fc.nat() }) },
);

const warnings: string[] = [];
let warningsSeen = 0;

function step(game: GameState, act: Action, random: () => number): GameState {
  if (act.kind === 'bot') {
    const card = botCard(game, act.seat, { kind: 'correct' }, random);
    return card ? playCard(game, act.seat, card).game : game;
  }
  if (act.kind === 'wrong') {
    // a wrong segment card delivered anyway, as hard mode and the erring bot do: the peer must answer it
    const cards = wrongCards(game, act.seat).filter((card) => (card as { kind?: string } | null)?.kind === 'segment');
    const result = playCard(game, act.seat, cards[act.pick % cards.length], { deliverWrongCard: true });
    return result.game;
  }
  if (act.kind === 'call') {
    const card = { kind: 'call', call: act.call, ...(act.call === 'send' ? { data: 'HI' } : {}) };
    const result = playCard(game, act.seat, card);
    // a call off the mission is accepted with a warning: it must read as well as an explanation
    if (result.ok && result.judgement.ok && result.judgement.warning) {
      warnings.push(...untrustworthy(game, act.seat, card, { ok: true, explanation: result.judgement.warning.explanation, rule: '' }));
      warningsSeen++;
    }
    return result.game;
  }
  if (game.timers.length === 0) return game;
  const timer = game.timers[act.pick % game.timers.length];
  return fireTimer(game, timer.end, timer.kind).game;
}

describe('every explanation can be trusted', () => {
  it('quotes only numbers on the board or in the segments, states board values right, adds right and leaves no slot empty, for every refusal code and warning', () => {
    const missions = Object.keys(MISSIONS);
    const seen = new Map<RefusalCode, Set<string>>();
    const failures: string[] = [];
    const failureKinds = new Set<string>();
    const check = (game: GameState) => {
      for (const at of ['A', 'B'] as const) {
        for (const card of wrongCards(game, at)) {
          const judgement = judgeCard(game, at, card);
          if (!judgement.ok) {
            const states = seen.get(judgement.code) ?? new Set<string>();
            states.add(game.world.tcb[at].state);
            seen.set(judgement.code, states);
          }
          const problems = untrustworthy(game, at, card, judgement);
          // one example of each kind of failure: the kind is the code and the problems without their numbers
          const kind = `${judgement.ok ? 'accepted' : judgement.code}: ${problems.join('; ').replace(/\d+/g, 'n')}`;
          if (problems.length > 0 && !failureKinds.has(kind)) {
            failureKinds.add(kind);
            failures.push(
              `${game.options.mission} ${at} in ${game.world.tcb[at].state} played ${JSON.stringify(card)}: ${problems.join('; ')}\n  en: ${judgement.explanation.en}\n  zh: ${judgement.explanation.zh}`,
            );
          }
        }
      }
    };
    fc.assert(
      fc.property(fc.nat({ max: missions.length - 1 }), fc.integer({ min: 1, max: 1e6 }), fc.array(action, { maxLength: 40 }), (m, seed, actions) => {
        let game = newGame({ mission: missions[m], seed, difficulty: 'normal', faults: { loss: 0.15, duplicate: 0.1, reorder: 0.1 } });
        const random = seededRandom(seed);
        check(game);
        for (const act of actions) {
          game = step(game, act, random);
          check(game);
          if (game.status !== 'playing') break;
        }
      }),
      { numRuns: 120, seed: 13 },
    );
    expect(failures).toEqual([]);
    expect(warnings).toEqual([]);
    expect(warningsSeen).toBeGreaterThan(0);
    // the property games reach every refusal code (the states each one was seen in are in `seen`)
    expect(REFUSAL_CODES.filter((code) => !seen.has(code))).toEqual([]);
    // SHOW_COVERAGE=1 prints the states each code was judged in
    if (process.env.SHOW_COVERAGE) for (const [code, states] of seen) console.log(code, [...states].join(" "));
  }, 120_000);

  it('the check itself catches an empty slot, a number from nowhere, a wrong board value, a wrong sum and ASCII punctuation in Chinese', () => {
    let game = newGame({ mission: 'open', seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } });
    game = playCard(game, 'B', hintFor(game, 'B') as Card).game;
    game = playCard(game, 'A', hintFor(game, 'A') as Card).game;
    const verdict = (en: string, zh: string): Judgement => ({ ok: true, explanation: { en, zh }, rule: 'RFC 9293 §3.4' });
    expect(untrustworthy(game, 'A', null, verdict('It is SND.NXT = 101.', '它是 SND.NXT = 101。'))).toEqual([]);
    expect(untrustworthy(game, 'A', null, verdict('used 302, and : 302 + 0 = 302.', '是 302，并且：302 + 0 = 302。'))).toContain('en: a list that ends in nothing');
    expect(untrustworthy(game, 'A', null, verdict('It is 4242.', '是 4242。'))).toContain('en: 4242 is nowhere on the board');
    expect(untrustworthy(game, 'A', null, verdict('It is SND.NXT = 100.', '它是 SND.NXT = 100。'))).toContain('en: says SND.NXT = 100, the board shows 101');
    expect(untrustworthy(game, 'A', null, verdict('100 + 1 = 100.', '100 + 1 = 100。'))).toContain('zh: 100 + 1 is not 100');
    expect(untrustworthy(game, 'A', null, verdict('It is 101.', '是 100。'))).toHaveLength(1);
    expect(untrustworthy(game, 'A', null, verdict('It is 101.', '它是 101,对吗。'))).toContain('zh: ASCII punctuation next to Chinese');
  });
});
