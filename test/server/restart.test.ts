// Nothing acknowledged is lost when the server dies: a real server process (the production entry, as npm start
// runs it) on a real data directory, killed with SIGKILL in the middle of a duel, of a bot game whose
// retransmission timer is running, and of a class round; started again; real socket.io clients come back by
// their tokens and find every acknowledged card, the clocks at their remaining time, the class and its scores.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Card, Seat, TimelineEntry } from '../../shared/game/types.ts';
import type { RoomUpdate } from '../../shared/protocol/events.ts';
import { member, playRound, shadowFromView, type ClassMember, type Seated } from './class-helpers.ts';
import { call, closeAll, connect, sleep, until, type Player } from './helpers.ts';
import { freePort, startServerProcess, type ServerProcess } from './serverProcess.ts';

/** The learning path's level whose network drops the client's first SYN. */
const LOST_SYN_LEVEL = 'l13-lost-syn';
const dirs: string[] = [];
const running: ServerProcess[] = [];
const sockets: Player[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-restart-'));
  dirs.push(dir);
  return dir;
}
async function start(port: number, dir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await startServerProcess({ port, dataDir: dir, env });
  running.push(server);
  return server;
}
async function client(url: string): Promise<Player> {
  const p = await connect(url);
  sockets.push(p);
  return p;
}
afterEach(async () => {
  closeAll(...sockets.splice(0));
  await Promise.all(running.splice(0).map((s) => s.kill('SIGKILL')));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** The newest room a player holds (from its updates and answers), with its whole timeline. */
function latest(p: Player): { version: number; timeline: TimelineEntry[] } {
  return p.held!;
}

/** Ask for the right card and play it; true if the server acknowledged it. */
async function playRight(p: Player, code: string): Promise<boolean> {
  const hint = await call<{ ok: boolean; hint: Card | null }>(p, 'hint:ask', { code });
  if (!hint.ok || !hint.hint) return false;
  const reply = await call(p, 'card:play', { code, version: p.version, card: hint.hint });
  return reply.ok === true;
}

describe('a server killed with SIGKILL and started again', () => {
  it('gives a duel back to both players by their seat tokens, with every acknowledged card, and the game plays on', async () => {
    const port = await freePort();
    const dir = dataDir();
    // TIME-WAIT at the end of the game in a tenth of a second
    const env = { TIMER_SCALE: '0.02' };
    let server = await start(port, dir, env);
    const a = await client(server.url);
    const b = await client(server.url);
    const created = await call(a, 'room:create', { mode: 'duel', nickname: 'Ada' });
    const code: string = created.room.code;
    const joined = await call(b, 'room:join', { code, nickname: 'Bo' });
    const seats: Record<Seat, Player> = { A: a, B: b };
    const tokens: Record<Seat, string> = { A: created.seatToken, B: joined.seatToken };
    await until(() => a.version >= 1 && b.version >= 1, 'the game starts');
    let acknowledged = 0;
    while (acknowledged < 8) {
      let moved = false;
      for (const seat of ['A', 'B'] as const) if (await playRight(seats[seat], code)) (acknowledged += 1), (moved = true);
      if (!moved) await sleep(10);
    }
    const before = [latest(a), latest(b)].sort((x, y) => y.version - x.version)[0];
    const mistakesBefore = (await call(a, 'room:resync', { code })).room.game.score;

    await server.kill('SIGKILL');
    server = await start(port, dir, env);
    const a2 = await client(server.url);
    const b2 = await client(server.url);
    const backA = await call(a2, 'room:join', { code, seatToken: tokens.A });
    const backB = await call(b2, 'room:join', { code, seatToken: tokens.B });
    expect(backA).toMatchObject({ ok: true, seat: 'A', role: 'player' });
    expect(backB).toMatchObject({ ok: true, seat: 'B', role: 'player' });
    a2.version = backA.room.version;
    b2.version = backB.room.version;
    const room = backB.room;
    expect(room.version).toBeGreaterThanOrEqual(before.version);
    // every acknowledged card is in the timeline, in order
    expect(room.game.timeline.slice(0, before.timeline.length)).toEqual(before.timeline);
    expect(room.game.timeline.length).toBeGreaterThanOrEqual(acknowledged);
    expect(room.game.score).toEqual(mistakesBefore);
    expect(room.seats.A).toMatchObject({ nickname: 'Ada', kind: 'human', connected: true });
    // and the game goes on to its end from there
    const seats2: Record<Seat, Player> = { A: a2, B: b2 };
    for (let i = 0; i < 200; i += 1) {
      const last = b2.updates[b2.updates.length - 1];
      if (last?.room.phase === 'finished') break;
      let moved = false;
      for (const seat of ['A', 'B'] as const) if (await playRight(seats2[seat], code)) moved = true;
      if (!moved) await sleep(20);
    }
    expect(b2.updates[b2.updates.length - 1]?.room.phase).toBe('finished');
    // a stranger's token does not work: the data file held only its hash
    const c = await client(server.url);
    expect((await call(c, 'room:join', { code, seatToken: 'x'.repeat(21) })).error.code).toBe('BAD_SEAT_TOKEN');
  });

  it('stops cleanly on SIGTERM, saying every acknowledged change is saved, and starts again with the rooms', async () => {
    const port = await freePort();
    const dir = dataDir();
    let server = await start(port, dir);
    const a = await client(server.url);
    const created = await call(a, 'room:create', { mode: 'bot', nickname: 'Ada' });
    const code: string = created.room.code;
    await until(() => a.version >= 1, 'the game starts');
    // the bot may have to move first (listen): the human plays once it has a card to play
    let played = false;
    for (let i = 0; i < 100 && !played; i += 1) played = (await playRight(a, code)) || (await sleep(20), false);
    expect(played).toBe(true);
    const told = a.version;
    const exit = await server.kill('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.output()).toMatch(/closed: every acknowledged change is saved/);
    server = await start(port, dir);
    const back = await client(server.url);
    const rejoined = await call(back, 'room:join', { code, seatToken: created.seatToken });
    expect(rejoined.ok).toBe(true);
    expect(rejoined.room.version).toBeGreaterThanOrEqual(told);
  });

  it('resumes a bot game whose retransmission timer runs: the timer fires at its remaining time, not a full one later', async () => {
    const port = await freePort();
    const dir = dataDir();
    // the level where the network drops the first SYN: the client's retransmission timer runs (3 s of board
    // time, here doubled to 6 s so a timer wrongly started afresh at the restart stands out from one that is
    // merely late on a busy machine)
    const env = { TIMER_SCALE: '2', BOT_DELAY_MIN_MS: '20', BOT_DELAY_MAX_MS: '40' };
    let server = await start(port, dir, env);
    const human = await client(server.url);
    const created = await call(human, 'room:create', { mode: 'bot', nickname: 'Hu', seat: 'A', mission: LOST_SYN_LEVEL });
    expect(created.ok).toBe(true);
    const code: string = created.room.code;
    const rtoOf = (u: RoomUpdate) => u.room.timerDeadlines?.find((t) => t.end === 'A' && t.kind === 'rto');
    for (let i = 0; i < 20 && !human.updates.some(rtoOf); i += 1) {
      if (!(await playRight(human, code))) await sleep(50);
    }
    await until(() => human.updates.some(rtoOf), 'the lost SYN starts the retransmission timer', 5000);
    const synSeen = Date.now();
    const rto = rtoOf(human.updates.find(rtoOf)!)!;
    const dueAt = synSeen + rto.msLeft;
    await sleep(1000);

    await server.kill('SIGKILL');
    server = await start(port, dir, env);
    const back = await client(server.url);
    const rejoined = await call(back, 'room:join', { code, seatToken: created.seatToken });
    expect(rejoined.ok).toBe(true);
    const resumed = rejoined.room.timerDeadlines.find((t: { end: Seat; kind: string }) => t.end === 'A' && t.kind === 'rto');
    const ready = Date.now();
    if (ready < dueAt - 200) {
      // still running after the restart, with what it had left (not a fresh 3 s)
      expect(resumed).toBeDefined();
      expect(resumed.msLeft).toBeLessThanOrEqual(dueAt - ready + 150);
    }
    await until(() => back.updates.some((u: RoomUpdate) => u.by === 'timer'), 'the retransmission timer fires', 15_000);
    const firedAt = Date.now();
    expect(firedAt).toBeGreaterThanOrEqual(dueAt - 150);
    // at its due time, or at once if the restart took longer than it had left; a timer started afresh at the
    // restart would fire a whole period (6 s) after it
    expect(firedAt).toBeLessThan(Math.max(dueAt, ready) + 3000);
  });

  it('brings a class round back: host, projector and players rejoin by their keys, the round keeps its end time, scores count', async () => {
    const port = await freePort();
    const dir = dataDir();
    let server = await start(port, dir);
    const host = await member(server.url);
    sockets.push(host);
    const made = await call(host, 'class:create', { mode: 'class' });
    expect(made.ok).toBe(true);
    const { code, hostKey, viewKey } = made;
    const players: ClassMember[] = [];
    const playerTokens: string[] = [];
    for (const name of ['Ann', 'Ben', 'Cyd']) {
      const p = await member(server.url);
      sockets.push(p);
      const reply = await call(p, 'class:join', { code, nickname: name });
      expect(reply.ok).toBe(true);
      players.push(p);
      playerTokens.push(reply.playerToken);
    }
    const started = await call(host, 'class:start', { code, mission: 'open-send-close', timeLimit: 120 });
    expect(started.ok).toBe(true);
    const endsAt = started.settings.endsAt;
    await until(() => players.every((p) => p.yous.some((y) => y.assignment)), 'every player has a pair');
    const seated: Seated[] = [];
    for (const p of players) {
      const assignment = p.yous.find((y) => y.assignment)!.assignment!;
      const joined = await call(p, 'room:join', { code: assignment.room, seatToken: assignment.seatToken });
      expect(joined.ok).toBe(true);
      seated.push({ player: p, room: assignment.room, seat: assignment.seat, shadow: shadowFromView(joined.room, 'open-send-close') });
    }
    // play a few cards, then stop playing (the round is not over)
    let played = 0;
    await playRound(seated, 15_000, async () => {
      played += 1;
      if (played >= 6) throw new Error('enough');
    }).catch((error: Error) => {
      if (error.message !== 'enough') throw error;
    });
    const versions = new Map(seated.map((s) => [s.room, s.player.version]));

    await server.kill('SIGKILL');
    server = await start(port, dir);
    const host2 = await member(server.url);
    sockets.push(host2);
    const hosted = await call(host2, 'class:host', { code, hostKey });
    expect(hosted.ok).toBe(true);
    expect(hosted.viewKey).toBe(viewKey);
    expect(hosted.feed.phase).toBe('playing');
    expect(hosted.feed.settings.endsAt).toBe(endsAt);
    expect(hosted.feed.players.map((p: { nickname: string }) => p.nickname).sort()).toEqual(['Ann', 'Ben', 'Cyd']);
    const projector = await member(server.url);
    sockets.push(projector);
    expect((await call(projector, 'class:watch', { code, viewKey })).ok).toBe(true);
    const again: Seated[] = [];
    for (let i = 0; i < players.length; i += 1) {
      const p = await member(server.url);
      sockets.push(p);
      const back = await call(p, 'class:join', { code, playerToken: playerTokens[i] });
      expect(back.ok).toBe(true);
      const assignment = back.you.assignment;
      expect(assignment?.room).toBe(seated[i].room);
      const joined = await call(p, 'room:join', { code: assignment.room, seatToken: assignment.seatToken });
      expect(joined.ok).toBe(true);
      expect(joined.room.version).toBeGreaterThanOrEqual(versions.get(seated[i].room)!);
      again.push({ player: p, room: assignment.room, seat: assignment.seat, shadow: shadowFromView(joined.room, 'open-send-close') });
    }
    await playRound(again, 20_000);
    await until(() => lastPhase(host2) === 'results', 'the round ends when every pair has finished', 8000);
    const board = host2.feeds[host2.feeds.length - 1]!.leaderboard!;
    expect(board).toHaveLength(3);
    expect(board.every((entry) => entry.total > 0)).toBe(true);
  });
});

function lastPhase(host: ClassMember): string | undefined {
  return host.feeds[host.feeds.length - 1]?.phase;
}
