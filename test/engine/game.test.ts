// The game layer: the referee's verdicts, seeded bot-against-bot games, and random interleavings of
// calls, deliveries, losses, duplicates, reorderings and timers that must never break an invariant.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  botCard,
  fireTimer,
  gameView,
  hintFor,
  judgeCard,
  newGame,
  playCard,
  takeHint,
  answerQuiz,
  replayGame,
  REFUSAL_CODES,
  RTO_MAX_MS,
  TIMER_DELAYS_MS,
  backedOff,
  type Card,
  type GameOptions,
  type GameState,
  type Seat,
} from '../../shared/game/index.ts';
import { seqLe } from '../../shared/tcp/seq.ts';
import { TCP_STATES } from '../../shared/tcp/types.ts';
import { seededRandom } from '../../shared/game/rng.ts';

const options = (over: Partial<GameOptions> = {}): GameOptions => ({
  mission: 'open-send-close',
  seed: 1,
  difficulty: 'normal',
  faults: { loss: 0, duplicate: 0, reorder: 0 },
  ...over,
});

function play(game: GameState, seat: Seat, card: Card): GameState {
  const result = playCard(game, seat, card);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(card)}: ${result.refusal.code} ${result.refusal.explanation.en}`);
  return result.game;
}

const seeded = seededRandom;

/** Bots at both seats play until the round ends; timers fire when nobody can move. */
function botGame(game: GameState, random: () => number, maxEvents = 400): { game: GameState; events: number } {
  let events = 0;
  while (game.status === 'playing' && events < maxEvents) {
    events++;
    const seat = (['A', 'B'] as const).find((s) => botCard(game, s, { kind: 'correct' }, random));
    if (seat) {
      game = play(game, seat, botCard(game, seat, { kind: 'correct' }, random) as Card);
      continue;
    }
    // The timer that has waited longest fires first, as it would on the board (RTO 3 s runs out before 2 MSL 5 s).
    const timer = [...game.timers].sort((a, b) => a.since - b.since || (a.kind === 'rto' ? -1 : 1))[0];
    if (!timer) break;
    const fired = fireTimer(game, timer.end, timer.kind);
    if (fired.ok) game = fired.game;
  }
  return { game, events };
}

describe('the referee', () => {
  const opened = () => {
    let game = newGame(options());
    game = play(game, 'B', { kind: 'call', call: 'listen' });
    game = play(game, 'A', { kind: 'call', call: 'connect' });
    return play(game, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
  };

  it('refuses a SYN-ACK that forgets the +1, explains it with the numbers, and hints the right card', () => {
    const verdict = judgeCard(opened(), 'B', { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 100, len: 0 });
    expect(verdict.ok).toBe(false);
    if (verdict.ok) return;
    expect(verdict.code).toBe('ACK_EQUALS_SEQ');
    expect(verdict.explanation.en).toContain('101');
    expect(verdict.explanation.en).toContain('a SYN consumes one');
    expect(verdict.explanation.zh).toContain('101');
    expect(verdict.rule).toMatch(/RFC 9293/);
    expect(verdict.hint).toEqual({ kind: 'segment', flags: ['ACK', 'SYN'], seq: 300, ack: 101, len: 0 });
  });

  it('names a missing ACK flag, a FIN before ESTABLISHED, a move out of turn and a call out of place', () => {
    const game = opened();
    const code = (seat: Seat, card: unknown) => {
      const verdict = judgeCard(game, seat, card);
      return verdict.ok ? 'accepted' : verdict.code;
    };
    expect(code('B', { kind: 'segment', flags: ['SYN'], seq: 300, ack: null, len: 0 })).toBe('MISSING_ACK_FLAG');
    expect(code('B', { kind: 'segment', flags: ['SYN', 'ACK', 'FIN'], seq: 300, ack: 101, len: 0 })).toBe('FIN_BEFORE_ESTABLISHED');
    expect(code('A', { kind: 'segment', flags: ['ACK'], seq: 101, ack: 301, len: 0 })).toBe('NOT_YOUR_MOVE');
    expect(code('B', { kind: 'call', call: 'close' })).toBe('SEGMENT_OWED');
    expect(code('A', { kind: 'call', call: 'connect' })).toBe('CALL_REFUSED');
    expect(code('B', { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 101, len: 0 })).toBe('accepted');
  });

  it('refuses malformed cards with their own codes and never throws', () => {
    const game = opened();
    const code = (card: unknown) => {
      const verdict = judgeCard(game, 'B', card);
      return verdict.ok ? 'accepted' : verdict.code;
    };
    expect(code({ kind: 'segment', flags: ['SYN', 'ACK'], seq: -1, ack: 101, len: 0 })).toBe('SEQ_OUT_OF_RANGE');
    expect(code({ kind: 'segment', flags: ['SYN', 'ACK'], seq: 2 ** 32, ack: 101, len: 0 })).toBe('SEQ_OUT_OF_RANGE');
    expect(code({ kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 1.5, len: 0 })).toBe('ACK_OUT_OF_RANGE');
    expect(code({ kind: 'segment', flags: ['SYN', 'XMAS'], seq: 300, ack: 101, len: 0 })).toBe('UNKNOWN_FLAG');
    expect(code({ kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 101, len: -3 })).toBe('NEGATIVE_LENGTH');
    expect(code({ kind: 'segment', flags: ['SYN'], seq: 300, ack: 101, len: 0 })).toBe('ACK_NUMBER_WITHOUT_ACK_FLAG');
    expect(code(null)).toBe('MALFORMED_CARD');
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const verdict = judgeCard(game, 'B', value);
        expect(verdict.ok === true || REFUSAL_CODES.includes(verdict.code)).toBe(true);
        expect(() => playCard(game, 'B', value)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  }, 20_000); // 2,000 generated values: a busy machine runs every test file at once

  it('counts a refused card as a mistake without changing the connection', () => {
    const game = opened();
    const result = playCard(game, 'B', { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 100, len: 0 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.game.score.B.mistakes).toBe(1);
    expect(result.game.score.B.mistakesByCode.ACK_EQUALS_SEQ).toBe(1);
    expect(result.game.world).toEqual(game.world);
    expect(result.game.owed).toEqual(game.owed);
  });

  it('in hard mode delivers the wrong card and the peer reacts as a real TCP (RST before synchronization)', () => {
    let game = newGame(options({ difficulty: 'hard' }));
    game = play(game, 'B', { kind: 'call', call: 'listen' });
    game = play(game, 'A', { kind: 'call', call: 'connect' });
    game = play(game, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
    const result = playCard(game, 'B', { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 100, len: 0 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.judgement.ok).toBe(false);
    // what everyone is sent says the card was refused, why, by which rule and what was right, before it travels
    const refused = result.happenings[0];
    expect(refused).toMatchObject({ type: 'refused', end: 'B', code: 'ACK_EQUALS_SEQ', rule: 'RFC 9293 §3.4' });
    expect(refused.type === 'refused' && refused.explanation.en).toMatch(/must be 101, not 100/);
    expect(refused.type === 'refused' && refused.explanation.zh).toMatch(/101/);
    expect(refused.type === 'refused' && refused.hint).toEqual({ kind: 'segment', flags: ['ACK', 'SYN'], seq: 300, ack: 101, len: 0 });
    expect(result.happenings.map((h) => h.type)).toEqual(['refused', 'sent', 'delivered']);
    expect(result.game.world.tcb.A.state).toBe('SYN-SENT');
    expect(takeHint(result.game, 'A').hint).toEqual({ kind: 'segment', flags: ['RST'], seq: 100, ack: null, len: 0 });
  });

  it('scores the state quiz and counts hints', () => {
    const game = opened();
    expect(answerQuiz(game, 'A', 'SYN-SENT').correct).toBe(true);
    expect(answerQuiz(game, 'A', 'ESTABLISHED').game.score.A.quizWrong).toBe(1);
    expect(takeHint(game, 'B').game.score.B.hints).toBe(1);
  });

  it('hides the owed segments from the view', () => {
    const view = gameView(opened()) as unknown as Record<string, unknown>;
    expect(view.owed).toBeUndefined();
    expect(view.rng).toBeUndefined();
    expect(view.owes).toEqual({ A: 0, B: 1 });
  });
});

describe('bot-against-bot games', () => {
  for (const mission of ['open-send-close', 'close', 'refused'] as const) {
    it(`${mission}: correct bots end CLOSED at both ends on a clean network`, () => {
      const { game, events } = botGame(newGame(options({ mission })), seeded(3));
      expect(game.status).toBe('finished');
      expect(game.world.tcb.A.state).toBe('CLOSED');
      expect(['CLOSED', 'LISTEN']).toContain(game.world.tcb.B.state);
      expect(game.outcome).toBe('completed');
      expect(events).toBeLessThan(60);
    });
  }

  it('end CLOSED at both ends within a bounded number of events on a lossy, duplicating, reordering network', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const start = newGame(options({ seed, faults: { loss: 0.25, duplicate: 0.15, reorder: 0.15 } }));
      const { game, events } = botGame(start, seeded(seed));
      expect(game.status, `seed ${seed}`).toBe('finished');
      expect(game.world.tcb.A.state, `seed ${seed}`).toBe('CLOSED');
      expect(game.world.tcb.B.state, `seed ${seed}`).toBe('CLOSED');
      expect(events).toBeLessThan(400);
    }
  });

  it('replay exactly from the options and the log of inputs, network faults, refusals, hints and quiz included', () => {
    const opts = options({ seed: 77, faults: { loss: 0.3, duplicate: 0.2, reorder: 0.2 } });
    let game = botGame(newGame(opts), seeded(5), 12).game;
    game = playCard(game, 'A', { kind: 'segment', flags: ['FIN'], seq: 1, ack: null, len: 0 }).game;
    game = takeHint(game, 'B').game;
    game = answerQuiz(game, 'A', 'ESTABLISHED').game;
    game = botGame(game, seeded(6)).game;
    expect(game.log.length).toBeGreaterThan(10);
    expect(game.log.some((input) => input.kind === 'timer')).toBe(true);
    expect(replayGame(opts, game.log)).toEqual(game);
  });

  it('replay exactly from the seed and the moves', () => {
    const a = botGame(newGame(options({ seed: 42, faults: { loss: 0.3, duplicate: 0.1, reorder: 0.1 } })), seeded(9)).game;
    const b = botGame(newGame(options({ seed: 42, faults: { loss: 0.3, duplicate: 0.1, reorder: 0.1 } })), seeded(9)).game;
    expect(b.timeline).toEqual(a.timeline);
  });

  it('an erring bot makes mistakes the correct end catches, and the game still completes', () => {
    let completed = 0;
    let caught = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const random = seeded(seed);
      let game = newGame(options({ seed }));
      for (let i = 0; i < 300 && game.status === 'playing'; i++) {
        const bSeat = botCard(game, 'B', { kind: 'erring', errorRate: 0.4 }, random);
        if (bSeat) {
          const result = playCard(game, 'B', bSeat, { deliverWrongCard: true });
          if (result.ok) game = result.game;
          if (result.ok && !result.judgement.ok) caught++;
          continue;
        }
        const aCard = botCard(game, 'A', { kind: 'correct' }, random);
        if (aCard) {
          game = play(game, 'A', aCard);
          continue;
        }
        const timer = game.timers[0];
        if (!timer) break;
        const fired = fireTimer(game, timer.end, timer.kind);
        if (fired.ok) game = fired.game;
      }
      if (game.status === 'finished') completed++;
    }
    expect(caught).toBeGreaterThan(5);
    expect(completed).toBe(30);
  });
});

describe('invariants under random interleavings', () => {
  const action = fc.oneof(
    fc.record({ kind: fc.constant('bot' as const), seat: fc.constantFrom<Seat>('A', 'B') }),
    fc.record({ kind: fc.constant('call' as const), seat: fc.constantFrom<Seat>('A', 'B'), call: fc.constantFrom('listen', 'connect', 'send', 'close', 'abort') }),
    fc.record({ kind: fc.constant('timer' as const), seat: fc.constantFrom<Seat>('A', 'B'), timer: fc.constantFrom('rto', '2msl', 'user_timeout') }),
  );
  it('never throw, keep SND.UNA =< SND.NXT and the 11 states, and agree on numbers when both are ESTABLISHED and the wire is empty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.array(action, { maxLength: 60 }), (seed, actions) => {
        let game = newGame(options({ seed, faults: { loss: 0.2, duplicate: 0.2, reorder: 0.2 } }));
        const random = seeded(seed);
        for (const act of actions) {
          let result;
          if (act.kind === 'bot') {
            const card = botCard(game, act.seat, { kind: 'correct' }, random);
            if (!card) continue;
            result = playCard(game, act.seat, card);
          } else if (act.kind === 'call') {
            result = playCard(game, act.seat, { kind: 'call', call: act.call, data: act.call === 'send' ? 'HI' : undefined });
          } else {
            result = game.timers.some((t) => t.end === act.seat && t.kind === act.timer) ? fireTimer(game, act.seat, act.timer) : null;
          }
          if (result) game = result.game;
          for (const seat of ['A', 'B'] as const) {
            const tcb = game.world.tcb[seat];
            expect(TCP_STATES).toContain(tcb.state);
            expect(seqLe(tcb.sndUna, tcb.sndNxt)).toBe(true);
          }
          const { A, B } = game.world.tcb;
          if (A.state === 'ESTABLISHED' && B.state === 'ESTABLISHED' && game.world.inFlight.length === 0 && game.owed.A.length === 0 && game.owed.B.length === 0) {
            expect(A.rcvNxt).toBe(B.sndNxt);
            expect(B.rcvNxt).toBe(A.sndNxt);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 20_000); // ~2 s alone: a call off the mission plays the round on to see if it can still be won
});

describe('timers', () => {
  it('start the 2 MSL wait only after the end in TIME-WAIT has sent its last ACK', () => {
    let game = newGame(options({ mission: 'close' }));
    const random = seeded(1);
    while (!(game.world.tcb.A.state === 'TIME-WAIT')) {
      const seat = (['A', 'B'] as const).find((s) => botCard(game, s, { kind: 'correct' }, random)) as Seat;
      game = play(game, seat, botCard(game, seat, { kind: 'correct' }, random) as Card);
    }
    expect(game.owed.A).toHaveLength(1);
    expect(game.timers.some((t) => t.kind === '2msl')).toBe(false);
    const notRunning = fireTimer(game, 'A', '2msl');
    expect(notRunning.ok && notRunning.happenings).toEqual([]);
    game = play(game, 'A', botCard(game, 'A', { kind: 'correct' }, random) as Card);
    expect(game.timers).toEqual([{ end: 'A', kind: '2msl', since: game.moves, ms: TIMER_DELAYS_MS['2msl'] }]);
  });

  it('double the retransmission timeout after each expiry, up to 60 s (RFC 6298 §5.5, §2.5), and the view shows it', () => {
    // a network that loses everything: the SYN is never answered
    let game = newGame(options({ faults: { loss: 1, duplicate: 0, reorder: 0 } }));
    game = play(game, 'B', { kind: 'call', call: 'listen' });
    game = play(game, 'A', { kind: 'call', call: 'connect' });
    game = play(game, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
    const durations: number[] = [];
    for (let expiry = 0; expiry < 8; expiry++) {
      const timer = game.timers.find((t) => t.end === 'A' && t.kind === 'rto');
      expect(timer, `expiry ${expiry}`).toBeDefined();
      durations.push(timer!.ms);
      expect(gameView(game).rto.A).toBe(timer!.ms);
      expect(gameView(game).timers).toContainEqual(timer);
      const fired = fireTimer(game, 'A', 'rto');
      game = play(fired.game, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
    }
    expect(durations).toEqual([3000, 6000, 12000, 24000, 48000, 60000, 60000, 60000]);
    expect(RTO_MAX_MS).toBe(60000);
    expect(backedOff(RTO_MAX_MS)).toBe(RTO_MAX_MS);
    expect(game.rto.B).toBe(3000); // the other end's timer is its own
  });

  it('go back to the first RTO once new data is acknowledged', () => {
    // level 13 loses the pilot's first SYN: one expiry doubles the pilot's RTO, the SYN-ACK acknowledges the SYN
    let game = newGame(options({ mission: 'l13-lost-syn' }));
    const random = seeded(1);
    let doubled = false;
    for (let i = 0; i < 40 && game.status === 'playing'; i++) {
      const seat = (['A', 'B'] as const).find((s) => botCard(game, s, { kind: 'correct' }, random));
      if (seat) {
        game = play(game, seat, botCard(game, seat, { kind: 'correct' }, random) as Card);
        continue;
      }
      const timer = game.timers[0];
      if (!timer) break;
      const fired = fireTimer(game, timer.end, timer.kind);
      if (timer.kind === 'rto' && timer.end === 'A') {
        expect(fired.game.rto.A).toBe(6000);
        expect(fired.ok && fired.judgement.explanation.en).toContain('after 3 s');
        expect(fired.ok && fired.judgement.explanation.en).toContain('doubled to 6 s (RFC 6298 §5.5)');
        expect(fired.ok && fired.judgement.explanation.zh).toContain('6 秒');
        doubled = true;
      }
      game = fired.game;
      if (doubled && game.world.tcb.A.state === 'ESTABLISHED') break;
    }
    expect(doubled).toBe(true);
    expect(game.world.tcb.A.state).toBe('ESTABLISHED');
    expect(game.rto.A).toBe(3000);
  });
});

describe('piggybacking', () => {
  it('lets a close carry an ACK that is still owed, and no other owed segment', () => {
    let game = newGame(options({ mission: 'close' }));
    game = play(game, 'A', { kind: 'call', call: 'close' });
    game = play(game, 'A', { kind: 'segment', flags: ['ACK', 'FIN'], seq: 101, ack: 301, len: 0 });
    expect(game.owed.B).toEqual([{ flags: ['ACK'], seq: 301, ack: 102, len: 0 }]);
    game = play(game, 'B', { kind: 'call', call: 'close' });
    expect(game.owed.B).toEqual([{ flags: ['ACK', 'FIN'], seq: 301, ack: 102, len: 0 }]);
    // a SYN-ACK that is owed cannot ride on anything: the call is refused
    let opening = newGame(options());
    opening = play(opening, 'B', { kind: 'call', call: 'listen' });
    opening = play(opening, 'A', { kind: 'call', call: 'connect' });
    opening = play(opening, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
    const verdict = judgeCard(opening, 'B', { kind: 'call', call: 'close' });
    expect(verdict.ok ? 'accepted' : verdict.code).toBe('SEGMENT_OWED');
  });
});

describe('a legal call that cannot reach the mission', () => {
  /** Correct moves at both ends (timers when nobody can move) until the round ends. */
  function playOn(game: GameState): GameState {
    for (let i = 0; i < 80 && game.status === 'playing'; i++) {
      const seat = (['A', 'B'] as const).find((s) => hintFor(game, s));
      if (seat) {
        game = play(game, seat, hintFor(game, seat) as Card);
        continue;
      }
      const timer = game.timers[0];
      if (!timer) break;
      game = fireTimer(game, timer.end, timer.kind).game;
    }
    return game;
  }

  it('as the server, connect instead of listen: accepted, with a warning in both languages that the mission is out of reach', () => {
    const game = newGame(options({ mission: 'open' }));
    const result = playCard(game, 'B', { kind: 'call', call: 'connect' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.game.world.tcb.B.state).toBe('SYN-SENT');
    expect(result.judgement.ok && result.judgement.warning?.code).toBe('CALL_OFF_MISSION');
    const warning = result.happenings.find((h) => h.type === 'warning');
    expect(warning).toMatchObject({ type: 'warning', end: 'B', code: 'CALL_OFF_MISSION' });
    if (warning?.type !== 'warning') return;
    expect(warning.explanation.en).toBe(
      "connect is legal TCP here (CLOSED → SYN-SENT), but this round's mission cannot be reached from here any more: here the mission needs listen. Play on to see what TCP does.",
    );
    expect(warning.explanation.zh).toContain('在这里执行 connect 符合 TCP 规则（CLOSED → SYN-SENT）');
    expect(warning.explanation.zh).toContain('此时任务需要的是 listen');
    // and it is true: played on correctly from there, the round does not complete
    expect(playOn(result.game).outcome).not.toBe('completed');
  });

  it('closing before the data is sent warns; the mission\'s own call and a call that can still reach it do not', () => {
    let game = newGame(options());
    const listen = playCard(game, 'B', { kind: 'call', call: 'listen' });
    expect(listen.ok && listen.judgement.ok && listen.judgement.warning).toBeUndefined();
    expect(listen.ok && listen.happenings.some((h) => h.type === 'warning')).toBe(false);
    game = listen.game;
    while (!(game.world.tcb.A.state === 'ESTABLISHED' && game.world.tcb.B.state === 'ESTABLISHED' && game.owed.A.length + game.owed.B.length === 0)) {
      const seat = (['A', 'B'] as const).find((s) => hintFor(game, s)) as Seat;
      game = play(game, seat, hintFor(game, seat) as Card);
    }
    // other data than the mission's HELLO: still a "send", the mission can be completed
    const other = playCard(game, 'A', { kind: 'call', call: 'send', data: 'HI' });
    expect(other.ok && other.judgement.ok && other.judgement.warning).toBeUndefined();
    expect(playOn(other.game).outcome).toBe('completed');
    // closing before sending anything: the data goal is out of reach
    const close = playCard(game, 'A', { kind: 'call', call: 'close' });
    expect(close.ok && close.judgement.ok && close.judgement.warning?.code).toBe('CALL_OFF_MISSION');
    expect(close.ok && close.judgement.ok && close.judgement.warning?.explanation.en).toContain('here the mission needs send');
    expect(playOn(close.game).outcome).not.toBe('completed');
  });
});
