// A class over real sockets: a host and seven players (an odd number) play two rounds; roles alternate, a
// bot fills the gap, a player reconnects mid-round and keeps their seat, the projector feed shows the pairs,
// mistakes and leaderboard, and the CSV holds what happened. Host reload, wrong keys, duplicate nicknames and
// a locked session are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import type { Seat } from '../../shared/game/types.ts';
import type { MissionId } from '../../shared/game/types.ts';
import { call, closeAll, testServer, until } from './helpers.ts';
import { lastFeed, lastYou, member, playRound, shadowFromView, type ClassMember, type Seated, type Shadow } from './class-helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ graceMs: 3000, botDelayMs: [5, 20] });
});
afterAll(async () => {
  await server.close();
});

const NAMES = ['Ada', 'Bo', 'Cy', 'Dee, "the" Great', '=SUM(A1)', 'Fei 飞', 'Gus'];

/** Every player joins their pair's room with the seat token their class:you carries. */
async function seatAll(players: ClassMember[], round: number, mission: MissionId): Promise<Seated[]> {
  await until(() => players.every((p) => lastYou(p)?.assignment?.round === round), `all assigned for round ${round}`);
  const shadows = new Map<string, Shadow>();
  const seated: Seated[] = [];
  for (const p of players) {
    const a = lastYou(p).assignment!;
    const joined = await call(p, 'room:join', { code: a.room, seatToken: a.seatToken });
    expect(joined).toMatchObject({ ok: true, role: 'player', seat: a.seat });
    if (!shadows.has(a.room)) shadows.set(a.room, shadowFromView(joined.room, mission));
    seated.push({ player: p, room: a.room, seat: a.seat, shadow: shadows.get(a.room)! });
  }
  return seated;
}

describe('a class', () => {
  it('plays two rounds with seven players: pairs, a bot, alternating roles, a reconnect, feed and CSV', async () => {
    const host = await member(server.url);
    const created = await call(host, 'class:create', { mode: 'class' });
    expect(created).toMatchObject({ ok: true, link: `/c/${created.code}` });
    expect(created.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(created.hostKey).toEqual(expect.any(String));
    expect(created.feed).toMatchObject({ phase: 'lobby', players: [], round: 0 });
    const code: string = created.code;

    const players: ClassMember[] = [];
    const tokens: string[] = [];
    for (const name of NAMES) {
      const p = await member(server.url);
      const joined = await call(p, 'class:join', { code: code.toLowerCase(), nickname: `  ${name} ` });
      expect(joined).toMatchObject({ ok: true, you: { nickname: name, phase: 'lobby', assignment: null } });
      players.push(p);
      tokens.push(joined.playerToken);
    }
    // a duplicate nickname (whatever its case) is refused with a clear error
    const dup = await member(server.url);
    const refused = await call(dup, 'class:join', { code, nickname: 'ada' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    expect(refused.error.message.zh).toEqual(expect.any(String));
    await until(() => lastFeed(host)?.players.length === 7, 'the lobby shows seven players');
    expect(lastFeed(host).players.every((p) => p.connected && p.status === 'lobby')).toBe(true);

    // only the host drives the session
    expect(await call(players[0], 'class:start', { code })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });

    // ---------------- round 1
    const start1 = await call(host, 'class:start', { code, mission: 'open', timeLimit: 60 });
    expect(start1).toMatchObject({ ok: true, settings: { round: 1, mission: 'open', timeLimit: 60 } });
    const seated1 = await seatAll(players, 1, 'open');
    const rooms1 = new Set(seated1.map((s) => s.room));
    expect(rooms1.size).toBe(4); // three pairs and one player with a bot
    await until(() => lastFeed(host)?.pairs.length === 4, 'four tiles');
    const botTiles = lastFeed(host).pairs.filter((t) => t.seats.A.kind === 'bot' || t.seats.B.kind === 'bot');
    expect(botTiles).toHaveLength(1);

    // one wrong card, so the class has a mistake to talk about
    // (in a pair of two humans: nobody else moves there until the driver plays, so the version holds)
    const first = seated1.find((s) => s.seat === 'A' && seated1.filter((o) => o.room === s.room).length === 2)!;
    const wrong = await call(first.player, 'card:play', {
      code: first.room,
      version: first.shadow.version,
      card: { kind: 'segment', flags: ['SYN', 'ACK'], seq: 5, ack: 9, len: 0 },
    });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'REFUSED' } });

    // a player in a pair with a human drops mid-round and comes back with their token: same seat
    const mover = seated1.find((s) => seated1.filter((o) => o.room === s.room).length === 2)!;
    const moverIndex = players.indexOf(mover.player);
    let reconnected = false;
    await playRound(seated1, 15_000, async (s, cards) => {
      if (reconnected || s !== mover || cards < 1) return;
      reconnected = true;
      const old = s.player;
      old.socket.disconnect();
      await until(() => lastFeed(host).players.some((p) => !p.connected), 'the feed shows a player away');
      const back = await member(server.url);
      const again = await call(back, 'class:join', { code, playerToken: tokens[moverIndex] });
      expect(again).toMatchObject({ ok: true, you: { assignment: { room: s.room, seat: s.seat, round: 1 } } });
      const rejoined = await call(back, 'room:join', { code: s.room, seatToken: again.you.assignment.seatToken });
      expect(rejoined).toMatchObject({ ok: true, seat: s.seat });
      players[moverIndex] = back;
      s.player = back;
    });
    expect(reconnected).toBe(true);

    await until(() => lastFeed(host)?.phase === 'results', 'round 1 ends when every pair has finished');
    const after1 = lastFeed(host);
    expect(after1.pairs.every((t) => t.finished && t.outcome === 'completed')).toBe(true);
    expect(after1.pairs.every((t) => t.seats.A.state === 'ESTABLISHED' && t.seats.B.state === 'ESTABLISHED')).toBe(true);
    expect(after1.mistakes[0]).toMatchObject({ count: 1, explanation: { en: expect.any(String), zh: expect.any(String) } });
    expect(after1.leaderboard).toHaveLength(7);
    expect(after1.leaderboard![0].total).toBeGreaterThan(0);
    await until(() => players.every((p) => lastYou(p)?.lastRound?.round === 1), 'every player told their score');

    // ---------------- round 2: roles swap for everyone
    const role1 = new Map(seated1.map((s) => [players.indexOf(s.player), s.seat]));
    expect(await call(host, 'class:start', { code, mission: 'open', timeLimit: 60 })).toMatchObject({ ok: true });
    const seated2 = await seatAll(players, 2, 'open');
    for (const s of seated2) {
      const before = role1.get(players.indexOf(s.player))!;
      expect(s.seat).toBe(before === 'A' ? 'B' : 'A');
    }
    expect(new Set(seated2.map((s) => s.room)).size).toBe(4);
    await playRound(seated2);
    await until(() => lastFeed(host)?.phase === 'results' && lastFeed(host).round === 2, 'round 2 ends');

    // ---------------- the CSV: one row per player per round
    const wrongKey = await fetch(`${server.url}/c/${code}/results.csv`, { headers: { 'X-Host-Key': 'x'.repeat(32) } });
    expect(wrongKey.status).toBe(403);
    // the host key is not taken from a URL, even the right one
    const keyInUrl = await fetch(`${server.url}/c/${code}/results.csv?key=${encodeURIComponent(created.hostKey)}`);
    expect(keyInUrl.status).toBe(403);
    const response = await fetch(`${server.url}/c/${code}/results.csv`, { headers: { 'X-Host-Key': created.hostKey } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/csv');
    const csvText = await response.text();
    const lines = csvText.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('round,nickname,role,partner,mission,difficulty,finished,seconds,correct,mistakes,hints,mistakes_by_code,score');
    expect(lines).toHaveLength(1 + 14);
    expect(lines.filter((l) => l.includes(',yes,'))).toHaveLength(14);
    expect(lines.some((l) => l.includes('"Dee, ""the"" Great"'))).toBe(true);
    expect(lines.some((l) => l.includes(",'=SUM(A1),"))).toBe(true);
    expect(lines.filter((l) => /,bot,/.test(l))).toHaveLength(2);
    for (const name of ['Ada', 'Bo', 'Gus']) {
      const roles = lines.filter((l) => l.split(',')[1] === name).map((l) => l.split(',')[2]);
      expect(roles.sort()).toEqual(['client', 'server']);
    }
    expect(lines.some((l) => /MISSING_SYN_FLAG|UNEXPECTED_ACK_FLAG|WRONG_SEGMENT|NOT_YOUR_MOVE|SEGMENT_OWED|[A-Z_]+:1/.test(l))).toBe(true);

    // ---------------- the podium
    const ended = await call(host, 'class:end', { code });
    expect(ended.ok).toBe(true);
    expect(ended.podium.length).toBeGreaterThanOrEqual(3);
    await until(() => lastFeed(host)?.phase === 'ended' && lastFeed(host).podium !== null, 'the podium is shown');
    closeAll(host, dup, ...players);
  });

  it('restores host control with the key after a reload; a wrong key is refused', async () => {
    const host = await member(server.url);
    const created = await call(host, 'class:create', { mode: 'workshop' });
    const code = created.code;
    const intruder = await member(server.url);
    expect(await call(intruder, 'class:host', { code, hostKey: 'not-the-key-at-all' })).toMatchObject({
      ok: false,
      error: { code: 'BAD_HOST_KEY' },
    });
    expect(await call(intruder, 'class:lock', { code, locked: true })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });

    const reloaded = await member(server.url);
    const back = await call(reloaded, 'class:host', { code, hostKey: created.hostKey });
    expect(back).toMatchObject({ ok: true, code, feed: { mode: 'workshop' } });
    await until(() => host.classEvicted.length === 1, 'the old host page is told');
    expect(host.classEvicted[0]).toMatchObject({ code, reason: 'taken-over' });
    expect(await call(host, 'class:lock', { code, locked: true })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    expect(await call(reloaded, 'class:lock', { code, locked: false })).toMatchObject({ ok: true });

    // a read-only projector sees the feed and can drive nothing
    const projector = await member(server.url);
    expect(await call(projector, 'class:watch', { code, viewKey: created.viewKey })).toMatchObject({ ok: true });
    const p = await member(server.url);
    expect(await call(p, 'class:join', { code, nickname: 'Zed' })).toMatchObject({ ok: true });
    await until(() => lastFeed(projector)?.players.length === 1, 'the projector sees the player');
    expect(await call(projector, 'class:start', { code })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    closeAll(host, intruder, reloaded, projector, p);
  });

  it('a locked session refuses new players but takes back known ones; host renames and removes', async () => {
    const host = await member(server.url);
    const { code } = await call(host, 'class:create', {});
    const a = await member(server.url);
    const joined = await call(a, 'class:join', { code, nickname: 'Ann' });
    expect(await call(host, 'class:lock', { code, locked: true })).toMatchObject({ ok: true });
    const late = await member(server.url);
    expect(await call(late, 'class:join', { code, nickname: 'Late' })).toMatchObject({ ok: false, error: { code: 'SESSION_LOCKED' } });
    a.socket.disconnect();
    const a2 = await member(server.url);
    expect(await call(a2, 'class:join', { code, playerToken: joined.playerToken })).toMatchObject({ ok: true, you: { nickname: 'Ann' } });

    expect(await call(host, 'class:rename', { code, playerId: joined.you.playerId, nickname: 'Anna' })).toMatchObject({ ok: true });
    await until(() => lastYou(a2)?.nickname === 'Anna', 'the player sees the new name');
    expect(await call(host, 'class:remove', { code, playerId: joined.you.playerId })).toMatchObject({ ok: true });
    await until(() => a2.classEvicted.length === 1, 'the player is told');
    expect(a2.classEvicted[0].reason).toBe('removed');
    expect(await call(a2, 'class:join', { code, playerToken: joined.playerToken })).toMatchObject({
      ok: false,
      error: { code: 'BAD_PLAYER_TOKEN' },
    });
    expect(await call(host, 'class:start', { code })).toMatchObject({ ok: false, error: { code: 'NOT_ENOUGH_PLAYERS' } });
    closeAll(host, a, a2, late);
  });

  it('serves the join link as a QR code SVG and refuses bad input without crashing', async () => {
    const host = await member(server.url);
    const { code } = await call(host, 'class:create', {});
    const qr = await fetch(`${server.url}/c/${code}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');
    expect((await fetch(`${server.url}/c/not-a-code/qr.svg`)).status).toBe(404);
    expect((await fetch(`${server.url}/c/${code}/results.csv`)).status).toBe(403);
    for (const [event, payload] of [
      ['class:create', { mode: 'lecture' }],
      ['class:join', { code, nickname: '' }],
      ['class:join', { code, nickname: 'x'.repeat(200) }],
      ['class:join', null],
      ['class:start', { code, timeLimit: -5 }],
      ['class:start', { code, mission: 'everything' }],
      ['class:rename', { code, playerId: 7, nickname: 'a' }],
      ['class:lock', { code, locked: 'yes' }],
    ] as const) {
      expect(await call(host, event, payload)).toMatchObject({ ok: false, error: { code: 'BAD_PAYLOAD' } });
    }
    expect(await call(host, 'class:join', { code: 'ZZZZZZ', nickname: 'Q' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SESSION' } });
    expect(await call(host, 'class:stop', { code })).toMatchObject({ ok: false, error: { code: 'NO_ROUND' } });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    closeAll(host);
  });
});
