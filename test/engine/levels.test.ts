// The learning path's level files: each one loads, and is played to its end through the engine by correct
// bots (an erring level: the bot's end makes its scripted mistakes and the player's end catches them); broken
// files are refused with messages that say where; every text exists in both languages.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LEVELS,
  MISSIONS,
  answerQuiz,
  botCard,
  fireTimer,
  hintFor,
  loadLevel,
  newGame,
  playCard,
  type Card,
  type GameState,
  type Level,
  type LocalizedText,
  type Seat,
} from '../../shared/game/index.ts';
import { PATH_LEVELS } from '../../shared/levels/path.ts';
import type { TcpState } from '../../shared/tcp/types.ts';

const other = (seat: Seat): Seat => (seat === 'A' ? 'B' : 'A');

function start(level: Level, seed = 1): GameState {
  return newGame({ mission: level.id, seed, difficulty: level.difficulty, faults: { loss: 0, duplicate: 0, reorder: 0 } });
}

/** The card each seat plays: the player's seat always plays right; an erring level's bot seat errs as scripted. */
function cardFor(level: Level, game: GameState, seat: Seat): Card | null {
  const erring = level.bot.kind === 'erring' && seat !== level.player;
  return botCard(game, seat, { kind: erring ? 'erring' : 'correct' }, () => 0.99);
}

/** Among timers started at the same move: RTO (3 s) before 2 MSL (5 s), then A before B. */
const timerRank = (timer: { end: Seat; kind: string }) => (timer.kind === 'rto' ? 0 : 2) + (timer.end === 'A' ? 0 : 1);

/** The timer that has waited longest (RTO 3 s runs out before 2 MSL 5 s when they started together). */
function oldestTimer(game: GameState) {
  return [...game.timers].sort((a, b) => a.since - b.since || timerRank(a) - timerRank(b))[0];
}

/** Bots at both seats play until the round ends, `first` moving first when both can; timers fire when nobody can. */
function playThrough(level: Level, first: Seat = 'A', maxEvents = 200): { game: GameState; wrongCards: number } {
  let game = start(level);
  let wrongCards = 0;
  for (let events = 0; game.status === 'playing' && events < maxEvents; events++) {
    const seat = [first, other(first)].find((s) => cardFor(level, game, s) !== null);
    if (seat) {
      const card = cardFor(level, game, seat) as Card;
      const result = playCard(game, seat, card, { deliverWrongCard: level.bot.kind === 'erring' && seat !== level.player });
      if (!result.ok) throw new Error(`${level.id}: ${seat} ${JSON.stringify(card)} refused: ${result.refusal.code}`);
      if (!result.judgement.ok) wrongCards++;
      game = result.game;
      continue;
    }
    const timer = oldestTimer(game);
    if (!timer) break;
    const fired = fireTimer(game, timer.end, timer.kind);
    if (fired.ok) game = fired.game;
  }
  return { game, wrongCards };
}

/** Every state an end was in during the game, in order. */
function statesOf(level: Level, game: GameState, seat: Seat): TcpState[] {
  const states: TcpState[] = [level.initial[seat].state];
  const add = (state: TcpState | undefined) => {
    if (state && states[states.length - 1] !== state) states.push(state);
  };
  for (const entry of game.timeline) {
    if ((entry.kind === 'call' || entry.kind === 'timer') && entry.end === seat) add(entry.stateAfter);
    if (entry.kind === 'segment' && entry.fate === 'delivered' && entry.segment.to === seat) add(entry.receiverStateAfter);
  }
  return states;
}

const segmentsOf = (game: GameState) => game.timeline.flatMap((entry) => (entry.kind === 'segment' ? [entry] : []));
const byId = (id: string) => LEVELS.find((level) => level.id === id) as Level;

describe('the bundled levels', () => {
  it('all load, with unique ids, in the order of the path', () => {
    expect(PATH_LEVELS.length).toBe(19);
    for (const { file, source } of PATH_LEVELS) {
      const loaded = loadLevel(file, source);
      expect(loaded.ok ? [] : loaded.errors, source).toEqual([]);
      expect(source).toMatch(/^shared\/levels\/path\/\d\d-[a-z0-9-]+\.json$/);
    }
    expect(LEVELS.map((level) => level.id)).toEqual(PATH_LEVELS.map(({ file }) => (file as { id: string }).id));
    expect(new Set(LEVELS.map((level) => level.id)).size).toBe(LEVELS.length);
    for (const level of LEVELS) expect(MISSIONS[level.id]).toBe(level);
  });

  for (const level of LEVELS) {
    for (const first of ['A', 'B'] as const) {
      // Both orders matter for an erring bot: its correction may arrive before the player answers its
      // wrong card, and the player's answer must still count as catching it.
      it(`${level.id}: played to its end by ${level.bot.kind === 'erring' ? 'an erring bot and a correct player' : 'correct bots'} (${first} moves first when both can)`, () => {
        const { game, wrongCards } = playThrough(level, first);
        expect(game.status).toBe('finished');
        expect(game.outcome).toBe('completed');
        for (const goal of level.goals) expect(game.goals, goal).toContain(goal);
        expect(game.world.inFlight).toEqual([]);
        expect(game.owed).toEqual({ A: [], B: [] });
        expect(game.score.A.mistakes + game.score.B.mistakes).toBe(wrongCards);
        if (level.bot.kind === 'erring') expect(wrongCards).toBeGreaterThanOrEqual(level.bot.mistakes.length);
        else expect(wrongCards).toBe(0);
      });
    }
  }
});

describe('each level teaches what it says', () => {
  const played = (id: string) => {
    const level = byId(id);
    const { game } = playThrough(level);
    return { level, game, A: statesOf(level, game, 'A'), B: statesOf(level, game, 'B'), segments: segmentsOf(game) };
  };
  const card = (s: { segment: { flags: string[]; seq: number; ack: number | null; len: number } }) =>
    `${s.segment.flags.join(',')} ${s.segment.seq} ${s.segment.ack ?? '-'} ${s.segment.len}`;

  it('the handshake levels: SYN, SYN-ACK, ACK with 100 and 300', () => {
    for (const id of ['l01-fields', 'l02-handshake-client', 'l03-handshake-server']) {
      const { segments, A, B } = played(id);
      expect(segments.map(card)).toEqual(['SYN 100 - 0', 'ACK,SYN 300 101 0', 'ACK 101 301 0']);
      expect(A).toEqual(['CLOSED', 'SYN-SENT', 'ESTABLISHED']);
      expect(B).toEqual(['CLOSED', 'LISTEN', 'SYN-RECEIVED', 'ESTABLISHED']);
    }
    expect(byId('l02-handshake-client').player).toBe('A');
    expect(byId('l03-handshake-server').player).toBe('B');
    expect(byId('l01-fields').difficulty).toBe('easy');
  });

  it('the old duplicate SYN (RFC 9293 Figure 8): the player refuses the answer to it with RST 91, the tower listens again', () => {
    for (const first of ['A', 'B'] as const) {
      const level = byId('l04-old-duplicate-syn');
      const { game } = playThrough(level, first);
      const segments = segmentsOf(game);
      expect(segments[0]).toMatchObject({ segment: { id: 'x1', flags: ['SYN'], seq: 90 }, fate: 'delivered', receiverStateAfter: 'SYN-RECEIVED' });
      expect(segments.map(card)).toContain('ACK,SYN 300 91 0');
      const rst = segments.find((s) => s.segment.flags.includes('RST'));
      expect(rst).toMatchObject({ segment: { from: 'A', seq: 91, ack: null }, fate: 'delivered', receiverStateAfter: 'LISTEN' });
      expect(segments.map(card)).toContain('ACK,SYN 300 101 0');
      expect(game.goals).toContain('handshake');
    }
  });

  it('the FIN that carries the ACK: three segments, and the closer goes from FIN-WAIT-1 straight to TIME-WAIT', () => {
    const { segments, A, B } = played('l18-fin-carries-ack');
    expect(segments.map(card)).toEqual(['ACK,FIN 101 301 0', 'ACK,FIN 301 102 0', 'ACK 102 302 0']);
    expect(A).toEqual(['ESTABLISHED', 'FIN-WAIT-1', 'TIME-WAIT', 'CLOSED']);
    expect(B).toEqual(['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
  });

  it('what Linux does differently: a SYN accepted in TIME-WAIT, and the RST of an abort carries ACK', () => {
    const { level, segments, B } = played('l19-linux-differences');
    expect(level.profile).toBe('linux');
    expect(segments.map(card)).toEqual(['SYN 100 - 0', 'ACK,SYN 700 101 0', 'ACK 101 701 0', 'ACK 101 701 5', 'ACK 701 106 0', 'ACK,RST 701 106 0']);
    expect(B).toEqual(['TIME-WAIT', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSED']);
    // the same level under the RFC's primary choices teaches something else: TIME-WAIT answers the SYN with an ACK
    const rfc = { ...level, id: 'l19-as-rfc', profile: 'rfc' as const };
    MISSIONS[rfc.id] = rfc;
    try {
      const game = start(rfc);
      expect(game.options.profile).toBe('rfc');
      const connected = playCard(playCard(game, 'A', { kind: 'call', call: 'connect' }).game, 'A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 });
      expect(connected.ok && connected.game.owed.B).toEqual([{ flags: ['ACK'], seq: 302, ack: 42, len: 0 }]);
    } finally {
      delete MISSIONS[rfc.id];
    }
  });

  it('a level\'s profile wins over the one the room asked for; a level without one takes the room\'s', () => {
    const linux = byId('l19-linux-differences');
    expect(newGame({ mission: linux.id, seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 }, profile: 'rfc' }).options.profile).toBe('linux');
    const plain = newGame({ mission: 'open-send-close', seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 }, profile: 'linux' });
    expect(plain.options.profile).toBe('linux');
    expect(newGame({ mission: 'open-send-close', seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } }).options.profile).toBeUndefined();
  });

  it('the close levels pass FIN-WAIT-2 at the closer and CLOSE-WAIT, LAST-ACK at the other end', () => {
    for (const id of ['l05-close-first', 'l06-closed-on']) {
      const { A, B } = played(id);
      expect(A).toEqual(['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'TIME-WAIT', 'CLOSED']);
      expect(B).toEqual(['ESTABLISHED', 'CLOSE-WAIT', 'LAST-ACK', 'CLOSED']);
    }
    expect(byId('l05-close-first').player).toBe('A');
    expect(byId('l06-closed-on').player).toBe('B');
  });

  it('why four: the tower sends data from CLOSE-WAIT, and its FIN follows the data', () => {
    const { segments } = played('l07-close-wait-data');
    const data = segments.find((s) => s.segment.len > 0);
    expect(data).toMatchObject({ segment: { from: 'B', seq: 301, ack: 102, len: 7 }, senderState: 'CLOSE-WAIT', receiverStateAfter: 'FIN-WAIT-2' });
    expect(segments.map(card)).toEqual(['ACK,FIN 101 301 0', 'ACK 301 102 0', 'ACK 301 102 7', 'ACK 102 308 0', 'ACK,FIN 308 102 0', 'ACK 102 309 0']);
  });

  it('no handshake is perfectly sure: the last ACK is lost, the SYN-ACK comes again and is acknowledged again', () => {
    const { segments, B } = played('l08-two-generals');
    expect(segments.filter((s) => s.fate === 'lost').map(card)).toEqual(['ACK 101 301 0']);
    expect(segments.filter((s) => card(s) === 'ACK,SYN 300 101 0')).toHaveLength(2);
    expect(B).toEqual(['CLOSED', 'LISTEN', 'SYN-RECEIVED', 'ESTABLISHED']);
  });

  it('Ack counts bytes: 5 bytes move the Ack from 101 to 106, 7 bytes from 301 to 308', () => {
    const { segments } = played('l09-ack-counts-bytes');
    expect(segments.map(card)).toEqual([
      'ACK 101 301 5',
      'ACK 301 106 0',
      'ACK 301 106 7',
      'ACK 106 308 0',
      'ACK,FIN 308 106 0',
      'ACK 106 309 0',
      'ACK,FIN 106 309 0',
      'ACK 309 107 0',
    ]);
  });

  it('simultaneous open passes SYN-RECEIVED at both ends; simultaneous close passes CLOSING and TIME-WAIT at both', () => {
    const open = played('l10-simultaneous-open');
    expect(open.A).toEqual(['CLOSED', 'SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED']);
    expect(open.B).toEqual(['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED']);
    expect(open.segments.some((s) => s.segment.flags.includes('RST'))).toBe(false);
    const close = played('l11-simultaneous-close');
    expect(close.A).toEqual(['ESTABLISHED', 'FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED']);
    expect(close.B).toEqual(['FIN-WAIT-1', 'CLOSING', 'TIME-WAIT', 'CLOSED']);
  });

  it('a closed port refuses with RST,ACK 0/101; a half-open connection is reset by RST 301', () => {
    const refused = played('l12-refused');
    expect(refused.segments.map(card)).toEqual(['SYN 100 - 0', 'ACK,RST 0 101 0']);
    expect(refused.game.goals).toContain('refused');
    const halfOpen = played('l15-half-open');
    expect(halfOpen.segments.map(card)).toEqual(['ACK 101 301 6', 'RST 301 - 0']);
    expect(halfOpen.A).toEqual(['ESTABLISHED', 'CLOSED']);
  });

  it('a lost SYN is sent again with the same sequence number when the retransmission timer fires', () => {
    const { game, segments } = played('l13-lost-syn');
    expect(segments.filter((s) => card(s) === 'SYN 100 - 0').map((s) => s.fate)).toEqual(['lost', 'delivered']);
    expect(game.timeline.some((entry) => entry.kind === 'timer' && entry.timer === 'rto' && entry.end === 'A')).toBe(true);
  });

  it('TIME-WAIT is still there when the FIN comes again: the lost last ACK is repeated, no RST, then 2 MSL ends it', () => {
    const { game, segments } = played('l14-lost-last-ack');
    const timers = game.timeline.flatMap((entry) => (entry.kind === 'timer' ? [`${entry.end} ${entry.timer}`] : []));
    expect(timers).toEqual(['B rto', 'A 2msl']);
    expect(segments.filter((s) => card(s) === 'ACK 102 302 0').map((s) => s.fate)).toEqual(['lost', 'delivered']);
    expect(segments.some((s) => s.segment.flags.includes('RST'))).toBe(false);
  });

  it('sequence numbers wrap at 2^32', () => {
    const { segments } = played('l16-wraparound');
    expect(segments.map(card)).toEqual(['SYN 4294967295 - 0', 'ACK,SYN 300 0 0', 'ACK 0 301 0', 'ACK 0 301 5', 'ACK 301 5 0']);
  });
});

describe('the story and the quiz of a level hold in every order its moves can be played', () => {
  /**
   * Every game a level can give: at each point either seat may send any segment its TCP owes (in any order)
   * or make the mission's next call; the bot of an erring level makes its scripted mistakes; timers fire,
   * one by one, when nobody can move. Returns the finished games.
   */
  function everyOrder(level: Level): GameState[] {
    const finished: GameState[] = [];
    const explore = (game: GameState, depth: number) => {
      if (game.status !== 'playing' || depth > 40) {
        finished.push(game);
        return;
      }
      let moved = false;
      for (const seat of ['A', 'B'] as const) {
        const erringBot = level.bot.kind === 'erring' && seat !== level.player;
        const cards: Card[] = [];
        if (erringBot) {
          const card = cardFor(level, game, seat);
          if (card) cards.push(card);
        } else {
          const seen = new Set<string>();
          for (const owed of game.owed[seat]) {
            const card: Card = { kind: 'segment', flags: owed.flags, seq: owed.seq, ack: owed.ack, len: owed.len };
            if (!seen.has(JSON.stringify(card))) cards.push(card);
            seen.add(JSON.stringify(card));
          }
          const call = hintFor(game, seat);
          if (call?.kind === 'call') cards.push(call);
        }
        for (const card of cards) {
          const result = playCard(game, seat, card, { deliverWrongCard: erringBot });
          if (!result.ok) continue;
          moved = true;
          explore(result.game, depth + 1);
        }
      }
      if (!moved) for (const timer of game.timers) explore(fireTimer(game, timer.end, timer.kind).game, depth + 1);
      if (!moved && game.timers.length === 0) finished.push(game);
    };
    explore(start(level), 0);
    return finished;
  }

  const delivered = (game: GameState) => segmentsOf(game).filter((s) => s.fate === 'delivered');
  const card = (s: { segment: { flags: string[]; seq: number; ack: number | null; len: number } }) =>
    `${s.segment.flags.join(',')} ${s.segment.seq} ${s.segment.ack ?? '-'} ${s.segment.len}`;

  it('l04-old-duplicate-syn: the pilot\'s first SYN is lost and its RST 91 is what returns the tower to LISTEN, in every order', () => {
    const level = byId('l04-old-duplicate-syn');
    const games = everyOrder(level);
    expect(games.length).toBeGreaterThan(1); // the pilot's SYN, the tower's SYN-ACK and the RST come in several orders
    for (const game of games) {
      const where = game.timeline.map((e) => (e.kind === 'segment' ? `${e.segment.from}:${e.segment.flags}/${e.segment.seq}/${e.fate}` : e.kind)).join(' ');
      expect(game.outcome, where).toBe('completed');
      const pilotSyns = segmentsOf(game).filter((s) => s.segment.from === 'A' && s.segment.seq === 100 && s.segment.flags.join() === 'SYN');
      expect(pilotSyns[0].fate, where).toBe('lost');
      // the RST is accepted by the tower in SYN-RECEIVED (the state the old SYN put it in) and takes it to LISTEN
      const arrivals = delivered(game);
      const rst = arrivals.findIndex((s) => s.segment.flags.includes('RST'));
      expect(arrivals[rst], where).toMatchObject({ segment: { from: 'A', seq: 91 }, reaction: 'accept', receiverStateAfter: 'LISTEN' });
      const atTowerBefore = arrivals.slice(0, rst).filter((s) => s.segment.to === 'B');
      expect(atTowerBefore.at(-1), where).toMatchObject({ segment: { from: 'A', seq: 90 }, receiverStateAfter: 'SYN-RECEIVED' });
      // …before any SYN of the pilot reaches it: no other SYN clears the half-open connection
      const firstPilotSyn = arrivals.findIndex((s) => s.segment.from === 'A' && s.segment.seq === 100);
      expect(firstPilotSyn, where).toBeGreaterThan(rst);
    }
  });

  it('l17-erring-bot: the pilot answers the wrong SYN-ACK with RST 100 before the corrected one comes, never after its ACK', () => {
    const level = byId('l17-erring-bot');
    const games = everyOrder(level);
    expect(games.length).toBeGreaterThan(0);
    for (const game of games) {
      const sent = segmentsOf(game).map((s) => `${s.wrongCard ? 'wrong ' : ''}${s.segment.from} ${card(s)}`);
      expect(sent).toEqual(['A SYN 100 - 0', 'wrong B ACK,SYN 300 100 0', 'A RST 100 - 0', 'B ACK,SYN 300 101 0', 'A ACK 101 301 0']);
      expect(game.goals).toEqual(expect.arrayContaining(['caught', 'handshake']));
    }
  });
});

describe('the state quiz while the bot moves', () => {
  it('l05-close-first: the state the player\'s own move left their end in stays right after the bot has moved it on', () => {
    const level = byId('l05-close-first');
    let game = start(level);
    game = playCard(game, 'A', { kind: 'call', call: 'close' }).game;
    game = playCard(game, 'A', hintFor(game, 'A') as Card).game; // the FIN: the pilot's end is in FIN-WAIT-1
    expect(game.world.tcb.A.state).toBe('FIN-WAIT-1');
    // the tower's bot acknowledges at once, while the player is choosing an answer
    game = playCard(game, 'B', cardFor(level, game, 'B') as Card).game;
    expect(game.world.tcb.A.state).toBe('FIN-WAIT-2');
    const late = answerQuiz(game, 'A', 'FIN-WAIT-1');
    expect(late).toMatchObject({ correct: true, state: 'FIN-WAIT-1' });
    expect(late.game.score.A).toMatchObject({ quizRight: 1, quizWrong: 0 });
    expect(answerQuiz(game, 'A', 'FIN-WAIT-2')).toMatchObject({ correct: true, state: 'FIN-WAIT-2' });
    // a state the end was never left in by the player is still wrong, and the reply names the state it is in
    expect(answerQuiz(game, 'A', 'ESTABLISHED')).toMatchObject({ correct: false, state: 'FIN-WAIT-2' });
    expect(answerQuiz(game, 'A', 'CLOSING').game.score.A).toMatchObject({ quizRight: 0, quizWrong: 1 });
    // and once the player moves again, their new state is what counts
    game = playCard(game, 'B', cardFor(level, game, 'B') as Card).game; // the tower closes
    game = playCard(game, 'B', cardFor(level, game, 'B') as Card).game; // its FIN: the pilot is in TIME-WAIT
    game = playCard(game, 'A', hintFor(game, 'A') as Card).game; // the pilot's last ACK
    expect(answerQuiz(game, 'A', 'FIN-WAIT-1').correct).toBe(false);
    expect(answerQuiz(game, 'A', 'TIME-WAIT').correct).toBe(true);
  });
});

describe('a level with an erring bot', () => {
  const erring = LEVELS.filter((level) => level.bot.kind === 'erring');

  it('exists on the path', () => {
    expect(erring.map((level) => level.id)).toContain('l17-erring-bot');
    for (const level of erring) expect(level.goals).toContain('caught');
  });

  /** Play until the bot's first wrong card has been delivered; also return the game as it was just before. */
  function untilWrongCard(level: Level): { before: GameState; after: GameState } {
    let game = start(level);
    for (let i = 0; i < 100 && game.status === 'playing'; i++) {
      const seat = (['A', 'B'] as const).find((s) => cardFor(level, game, s) !== null);
      if (!seat) {
        const timer = oldestTimer(game);
        if (!timer) break;
        game = fireTimer(game, timer.end, timer.kind).game;
        continue;
      }
      const result = playCard(game, seat, cardFor(level, game, seat) as Card, { deliverWrongCard: seat !== level.player });
      if (!result.ok) throw new Error(result.refusal.code);
      if (!result.judgement.ok) return { before: game, after: result.game };
      game = result.game;
    }
    throw new Error(`${level.id}: the bot never erred`);
  }

  for (const level of erring) {
    it(`${level.id}: is not won by a player who answers the wrong segment as if it were right`, () => {
      const { before, after } = untilWrongCard(level);
      const bot = other(level.player);
      // What a careless player plays: the answer the right segment would have needed.
      const right = playCard(before, bot, hintFor(before, bot) as Card);
      expect(right.ok).toBe(true);
      const naive = right.ok ? hintFor(right.game, level.player) : null;
      expect(naive?.kind).toBe('segment');
      expect(naive).not.toEqual(hintFor(after, level.player));
      let game = after;
      for (let attempt = 0; attempt < 3; attempt++) {
        const result = playCard(game, level.player, naive);
        expect(result.ok).toBe(false);
        if (result.ok) return;
        expect(result.refusal.hint).toEqual(hintFor(after, level.player));
        game = result.game;
      }
      expect(game.goals).not.toContain('caught');
      expect(game.status).toBe('playing');
      expect(game.score[level.player].mistakes).toBe(3);
      expect(game.world).toEqual(after.world);
    });

    it(`${level.id}: is won by the player who plays what their TCP owes`, () => {
      const { after } = untilWrongCard(level);
      const owed = hintFor(after, level.player);
      const caught = playCard(after, level.player, owed);
      expect(caught.ok && caught.judgement.ok).toBe(true);
      expect(caught.game.goals).toContain('caught');
    });
  }

  it('l17-erring-bot: the SYN-ACK acknowledges 100 instead of 101, and the pilot must answer RST 100, not ACK 101/301', () => {
    const level = byId('l17-erring-bot');
    const { after } = untilWrongCard(level);
    const wrong = segmentsOf(after).find((s) => s.wrongCard);
    expect(wrong?.segment).toMatchObject({ from: 'B', flags: ['ACK', 'SYN'], seq: 300, ack: 100 });
    expect(hintFor(after, 'A')).toEqual({ kind: 'segment', flags: ['RST'], seq: 100, ack: null, len: 0 });
    const naive = playCard(after, 'A', { kind: 'segment', flags: ['ACK'], seq: 101, ack: 301, len: 0 });
    expect(naive.ok).toBe(false);
    expect(naive.game.goals).not.toContain('caught');
  });
});

describe('broken level files are refused with messages that say where', () => {
  const good = () => JSON.parse(JSON.stringify(PATH_LEVELS[1].file)) as Record<string, any>;
  const errors = (value: unknown) => {
    const loaded = loadLevel(value, 'bad.json');
    return loaded.ok ? [] : loaded.errors;
  };

  it('a good file loads', () => {
    expect(errors(good())).toEqual([]);
  });

  it('names the path of each mistake', () => {
    const wrongState = good();
    wrongState.script.A[0].when.state = 'ESTABLISHED-ISH';
    expect(errors(wrongState).join('\n')).toMatch(/^bad\.json: script\.A\[0\]\.when\.state: /);

    const quiz = good();
    quiz.quiz[1].answer = 7;
    expect(errors(quiz)).toEqual(['bad.json: quiz[1].answer: 7 is not one of the 3 choices (counted from 0)']);

    const noZh = good();
    delete noZh.title.zh;
    expect(errors(noZh).join('\n')).toMatch(/bad\.json: title\.zh: /);

    const emptyHint = good();
    emptyHint.hints[2].en = '';
    expect(errors(emptyHint).join('\n')).toMatch(/bad\.json: hints\[2\]\.en: /);

    const storyZh = good();
    delete storyZh.story[0].line.zh;
    expect(errors(storyZh).join('\n')).toMatch(/bad\.json: story\[0\]\.line\.zh: /);

    const goal = good();
    goal.goals = ['handshake', 'fly'];
    expect(errors(goal).join('\n')).toMatch(/bad\.json: goals\[1\]: /);

    const seat = good();
    seat.player = 'C';
    expect(errors(seat).join('\n')).toMatch(/bad\.json: player: /);

    const flag = good();
    flag.network = [{ match: { from: 'A', flags: ['SYN', 'XMAS'] }, action: 'drop' }];
    expect(errors(flag).join('\n')).toMatch(/bad\.json: network\[0\]\.match\.flags\[1\]: /);

    const wire = good();
    wire.wire = [{ id: 'x1', from: 'A', to: 'B', flags: ['SYN'], seq: 90, ack: 91 }];
    expect(errors(wire)).toEqual(['bad.json: wire[0].ack: null exactly when the ACK flag is not set']);

    const seq = good();
    seq.iss = { A: 4294967296 };
    expect(errors(seq).join('\n')).toMatch(/bad\.json: iss\.A: /);

    const send = good();
    send.script.A.push({ call: 'send' });
    expect(errors(send).join('\n')).toContain('bad.json: script.A[1].data: a send call needs the data it sends');

    const caught = good();
    caught.goals = ['handshake', 'caught'];
    expect(errors(caught).join('\n')).toContain('bad.json: goals: "caught" needs bot.kind "erring"');

    const extra = good();
    extra.misson = extra.mission;
    expect(errors(extra).join('\n')).toMatch(/bad\.json: \(top level\): .*misson/);

    const format = good();
    format.format = 'handshake-level v2';
    expect(errors(format).join('\n')).toMatch(/bad\.json: format: /);
  });

  it('reports every mistake of a file at once', () => {
    const many = good();
    many.script.B[0].when = { state: 'LISTENING' };
    delete many.mission.en;
    expect(errors(many)).toHaveLength(2);
  });
});

describe('the texts of every level', () => {
  const han = /[\u4e00-\u9fff]/;
  const texts = (level: Level): [string, LocalizedText][] => [
    ['title', level.title],
    ['mission', level.mission],
    ...level.hints.map((hint, i): [string, LocalizedText] => [`hints[${i}]`, hint]),
    ...level.quiz.flatMap((card, i): [string, LocalizedText][] => [
      [`quiz[${i}].question`, card.question],
      ...card.choices.map((choice, j): [string, LocalizedText] => [`quiz[${i}].choices[${j}]`, choice]),
      [`quiz[${i}].explanation`, card.explanation],
    ]),
    ...level.story.map((line, i): [string, LocalizedText] => [`story[${i}]`, line.line]),
  ];

  for (const level of LEVELS) {
    it(`${level.id}: every text in English and Chinese, short titles, 2–3 hints, 1–3 quiz cards`, () => {
      for (const [where, text] of texts(level)) {
        expect(text.en.trim(), `${where}.en`).not.toBe('');
        expect(text.zh.trim(), `${where}.zh`).not.toBe('');
        expect(han.test(text.en), `${where}.en has Chinese`).toBe(false);
        // Chinese texts are Chinese, except a choice that is only flags, states, Seq/Ack and numbers.
        const technical = text.zh.replace(/，/g, ', ') === text.en && /^(?:[A-Z0-9,\-]+|Seq|Ack)(?: (?:[A-Z0-9,\-]+|Seq|Ack))*$/.test(text.en);
        if (!technical) expect(han.test(text.zh), `${where}.zh is not Chinese`).toBe(true);
      }
      expect(level.title.en.length).toBeLessThanOrEqual(32);
      expect(level.title.zh.length).toBeLessThanOrEqual(16);
      expect(level.hints.length).toBeGreaterThanOrEqual(2);
      expect(level.hints.length).toBeLessThanOrEqual(3);
      expect(level.quiz.length).toBeGreaterThanOrEqual(1);
      expect(level.quiz.length).toBeLessThanOrEqual(3);
      for (const card of level.quiz) expect(card.answer).toBeLessThan(card.choices.length);
    });
  }

  it('the handshake and close levels have the pilot-and-tower dialogue', () => {
    const withStory = LEVELS.filter((level) => level.story.length > 0).map((level) => level.id);
    for (const id of ['l02-handshake-client', 'l03-handshake-server', 'l04-old-duplicate-syn', 'l05-close-first', 'l06-closed-on', 'l07-close-wait-data']) {
      expect(withStory).toContain(id);
    }
    for (const level of LEVELS) {
      const speakers = new Set(level.story.map((line) => line.who));
      if (level.story.length > 0) expect([...speakers].sort()).toEqual(['A', 'B']);
    }
  });
});

describe('the level checker (npm run level)', () => {
  const run = (...files: string[]): { status: number; out: string } => {
    try {
      const out = execFileSync(process.execPath, ['--import', 'tsx', 'scripts/level.ts', ...files], { encoding: 'utf8', stdio: 'pipe' });
      return { status: 0, out };
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      return { status: failed.status, out: failed.stdout };
    }
  };

  it('the table of docs/levels.md lists every level of the path, with its file, id and player', () => {
    const table = readFileSync('docs/levels.md', 'utf8').split('## The levels of the path')[1].split('\n## ')[0];
    for (const { file, source } of PATH_LEVELS) {
      const level = file as { id: string; chapter: number; player: string };
      const name = source.split('/').pop();
      expect(table, `${name} in the table`).toContain(`| ${level.chapter} | \`${name}\` | \`${level.id}\` | ${level.player} |`);
    }
  });

  it('the complete example of docs/levels.md loads and is won by correct bots', () => {
    const docs = readFileSync('docs/levels.md', 'utf8');
    const example = docs.split('## A complete example')[1].match(/```json\n([\s\S]*?)\n```/)?.[1];
    const loaded = loadLevel(JSON.parse(example as string), 'docs/levels.md');
    expect(loaded.ok ? [] : loaded.errors).toEqual([]);
    if (!loaded.ok) return;
    MISSIONS[loaded.level.id] = loaded.level;
    try {
      for (const first of ['A', 'B'] as const) {
        const { game } = playThrough(loaded.level, first);
        expect(game.outcome).toBe('completed');
        expect(game.goals).toContain('handshake');
      }
    } finally {
      delete MISSIONS[loaded.level.id];
    }
  });

  it('plays a level file that is not bundled, and refuses a broken one saying where', () => {
    const dir = mkdtempSync(join(tmpdir(), 'levels-'));
    const fresh = JSON.parse(readFileSync('shared/levels/path/13-lost-syn.json', 'utf8'));
    fresh.id = 'teacher-lost-syn-twice';
    fresh.network.push({ match: { from: 'A', flags: ['SYN'], nth: 2 }, action: 'drop' });
    writeFileSync(join(dir, 'fresh.json'), JSON.stringify(fresh));
    const ok = run(join(dir, 'fresh.json'));
    expect(ok.status).toBe(0);
    expect(ok.out).toContain('teacher-lost-syn-twice');
    expect(ok.out).toContain('finished (completed)');
    expect(ok.out.match(/LOST/g)).toHaveLength(2);

    const broken = { ...fresh, script: { A: [{ call: 'connect', when: { state: 'OPEN' } }], B: [] } };
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(broken));
    const refused = run(join(dir, 'broken.json'), join(dir, 'fresh.json'));
    expect(refused.status).toBe(1);
    expect(refused.out).toContain(`REFUSED ${join(dir, 'broken.json')}`);
    expect(refused.out).toContain(`${join(dir, 'broken.json')}: script.A[0].when.state:`);
    expect(refused.out).toContain('1 played to completion, 1 failed');
  }, 30000);

  it('honours a level file\'s "profile": Linux\'s choices are played, and the run says so', () => {
    const linux = run('shared/levels/path/19-linux-differences.json');
    expect(linux.status).toBe(0);
    expect(linux.out).toContain('player B, bot correct, profile linux');
    expect(linux.out).toMatch(/b3 ACK,RST seq=701 ack=106/);
    expect(linux.out).toContain('finished (completed)');
  }, 30000);
});
