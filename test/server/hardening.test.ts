// Defects found in a security review, each pinned by a test that failed before its fix.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { limitKey } from '../../server/socket.ts';
import { call, closeAll, connect, duel, sleep, testServer, until, type Player } from './helpers.ts';
import { lastYou, member } from './class-helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('unknown events', () => {
  it('an event named after an Object.prototype member still gets an answer', async () => {
    const p = await connect(server.url);
    for (const event of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
      expect(await call(p, event, {}, 1000)).toMatchObject({ ok: false, error: { code: 'BAD_PAYLOAD' } });
    }
    closeAll(p);
  });
});

describe('a game that never ends', () => {
  it('a send/ACK loop ends the round before the view grows without bound', async () => {
    const { code, seats } = await duel(server.url);
    const hintAndPlay = async (p: Player) => {
      const hint = await call(p, 'hint:ask', { code });
      if (!hint.ok) return hint;
      if (!hint.hint || hint.hint.kind === 'call') return { ok: true, idle: true };
      return call(p, 'card:play', { code, version: p.version, card: hint.hint });
    };
    // open the connection (the hints would go on to send and close: those are left out)
    for (let i = 0; i < 40; i += 1) {
      const tcb = (await call(seats.A, 'room:resync', { code })).room.game.world.tcb;
      if (tcb.A.state === 'ESTABLISHED' && tcb.B.state === 'ESTABLISHED') break;
      for (const p of [seats.B, seats.A]) {
        const hint = (await call(p, 'hint:ask', { code })).hint;
        if (!hint || (hint.kind === 'call' && (hint.call === 'send' || hint.call === 'close'))) continue;
        const r = await call(p, 'card:play', { code, version: p.version, card: hint });
        if (r.ok) await until(() => p.version >= r.version, 'the move is seen');
      }
    }
    let over: any = null;
    for (let i = 0; i < 1000 && !over; i += 1) {
      const sent = await call(seats.A, 'card:play', { code, version: seats.A.version, card: { kind: 'call', call: 'send', data: 'x'.repeat(64) } });
      if (!sent.ok) {
        if (sent.error.code === 'GAME_OVER') over = sent;
        else throw new Error(JSON.stringify(sent.error.code) + JSON.stringify(seats.A.updates.at(-1)!.room.game.world.tcb));
        continue;
      }
      await until(() => seats.A.version === sent.version, 'A sees its send');
      for (const p of [seats.A, seats.B, seats.A]) {
        const r = await hintAndPlay(p);
        if (!r.ok && r.error.code === 'GAME_OVER') over = r;
        if (r.ok && r.version) await until(() => p.version >= r.version, 'the move is seen');
      }
    }
    expect(over).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    const last = seats.B.updates.at(-1)!;
    expect(last.room.phase).toBe('finished');
    expect(last.room.game.timeline.length).toBeLessThanOrEqual(410);
    closeAll(seats.A, seats.B);
  }, 60_000);

  it('asking for hints forever ends the round instead of growing its log', async () => {
    const { code, seats } = await duel(server.url);
    let reply: any = null;
    for (let i = 0; i < 3000; i += 1) {
      reply = await call(seats.B, 'hint:ask', { code });
      if (!reply.ok) break;
    }
    expect(reply).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    await until(() => seats.B.updates.at(-1)!.room.phase === 'finished', 'the round is over for both');
    closeAll(seats.A, seats.B);
  }, 60_000);
});

describe('nicknames', () => {
  it('control, zero-width and bidi characters never reach other screens', async () => {
    const a = await connect(server.url);
    const created = await call(a, 'room:create', { mode: 'duel', nickname: '\u202EA\u200Bd\u0007a\u2066\uFEFF' });
    expect(created.ok).toBe(true);
    expect(created.room.seats[created.seat].nickname).toBe('Ada');
    const b = await connect(server.url);
    const joined = await call(b, 'room:join', { code: created.room.code, nickname: 'B\u0000o\u200F\u00AD' });
    expect(joined.room.seats[joined.seat].nickname).toBe('Bo');
    // a name of nothing visible is no name
    for (const nickname of ['\u200B\u200C\u200D', '\u202E\u202C', '\u0000\u0001', '\u3164', '\u2800\u2800']) {
      expect(await call(b, 'room:join', { code: created.room.code, nickname, spectate: true })).toMatchObject({
        ok: false,
        error: { code: 'BAD_PAYLOAD' },
      });
    }
    // stacked combining marks are cut short
    const zalgo = await call(b, 'room:join', { code: created.room.code, nickname: `Z${'\u0301'.repeat(20)}ed`, spectate: true });
    expect(zalgo.ok).toBe(true);
    closeAll(a, b);
  });

  it('an invisible character does not make a second "Ada" in a session', async () => {
    const host = await member(server.url);
    const { code } = await call(host, 'class:create', {});
    const one = await member(server.url);
    expect(await call(one, 'class:join', { code, nickname: 'Ada' })).toMatchObject({ ok: true });
    const two = await member(server.url);
    expect(await call(two, 'class:join', { code, nickname: 'Ad\u200Ba' })).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    expect(await call(two, 'class:join', { code, nickname: '\u202EadA' })).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    closeAll(host, one, two);
  });
});

describe('the per-address limit behind a proxy', () => {
  let proxied: RunningServer;
  beforeAll(async () => {
    proxied = await testServer({ trustProxy: true, joinLimit: { capacity: 3, refillPerSecond: 0.01 } });
  });
  afterAll(async () => {
    await proxied.close();
  });

  const via = async (forwardedFor: string): Promise<Socket> => {
    const socket = io(proxied.url, { transports: ['websocket'], forceNew: true, reconnection: false, extraHeaders: { 'X-Forwarded-For': forwardedFor } });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  };

  it('uses the address the proxy saw, not one the client wrote into X-Forwarded-For', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      // the client sent "X-Forwarded-For: 10.0.0.i"; the proxy appended the address it really came from
      const socket = await via(`10.0.0.${i}, 198.51.100.7`);
      const reply = await call(socket, 'room:create', { mode: 'bot' });
      codes.push(reply.ok ? 'ok' : reply.error.code);
      socket.disconnect();
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });

  it('keys addresses: IPv4 as is, IPv6 by its /64', () => {
    expect(limitKey('198.51.100.7')).toBe('198.51.100.7');
    expect(limitKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(limitKey('2001:db8:aa:bb::1')).toBe(limitKey('2001:0db8:00aa:00bb:ffff:1:2:3'));
    expect(limitKey('2001:db8:aa:bb::1')).not.toBe(limitKey('2001:db8:aa:bc::1'));
    expect(limitKey('::1')).toBe('0:0:0:0::/64');
    expect(limitKey('[fe80::1%eth0]')).toBe('fe80:0:0:0::/64');
  });

  it('counts an IPv6 /64 as one address', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const socket = await via(`2001:db8:aa:bb::${(i + 1).toString(16)}`);
      const reply = await call(socket, 'room:create', { mode: 'bot' });
      codes.push(reply.ok ? 'ok' : reply.error.code);
      socket.disconnect();
    }
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED', 'RATE_LIMITED', 'RATE_LIMITED']);
  });
});

describe('a class pair room', () => {
  it('takes nobody without the seat token, and its tokens do not outlive the round', async () => {
    const host = await member(server.url);
    const { code } = await call(host, 'class:create', {});
    const solo = await member(server.url);
    expect(await call(solo, 'class:join', { code, nickname: 'Solo' })).toMatchObject({ ok: true });
    expect(await call(host, 'class:start', { code })).toMatchObject({ ok: true });
    await until(() => lastYou(solo)?.assignment != null, 'solo is assigned');
    const a = lastYou(solo).assignment!;
    expect(await call(solo, 'room:join', { code: a.room, seatToken: a.seatToken })).toMatchObject({ ok: true, seat: a.seat });

    // a stranger who learns the room's code (the projector shows it) may watch, not take the bot's seat
    const stranger = await connect(server.url);
    const botSeat = a.seat === 'A' ? 'B' : 'A';
    expect(await call(stranger, 'room:join', { code: a.room, seat: botSeat, nickname: 'Mallory' })).toMatchObject({
      ok: false,
      error: { code: 'ROOM_FULL' },
    });
    expect(await call(stranger, 'room:join', { code: a.room, nickname: 'Mallory' })).toMatchObject({ ok: false, error: { code: 'ROOM_FULL' } });
    expect(await call(stranger, 'room:join', { code: a.room, spectate: true })).toMatchObject({ ok: true, role: 'spectator' });

    // the round ends: its room cannot be played on by a rematch
    expect(await call(host, 'class:stop', { code })).toMatchObject({ ok: true });
    await until(() => solo.updates.at(-1)?.room.phase === 'finished', 'the room is finished');
    expect(await call(solo, 'room:rematch', { code: a.room })).toMatchObject({ ok: false, error: { code: 'GAME_OVER' } });
    await sleep(50);
    expect(solo.updates.at(-1)!.room.phase).toBe('finished');
    closeAll(host, solo, stranger);
  });
});
