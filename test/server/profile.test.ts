// The Linux profile in rooms: a room can be created with profile "linux" (the server checks it and keeps it
// with the room's options); the referee then expects Linux's segments and the bot plays them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import type { Card } from '../../shared/game/types.ts';
import { call, closeAll, connect, playToEnd, testServer, until, type Player } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ botDelayMs: [20, 40] });
});
afterAll(async () => {
  await server.close();
});

const lastRoom = (player: Player) => player.updates.at(-1)!.room;

/** Play what the hints say at A until both ends are ESTABLISHED (the bot answers at B). */
async function openAsA(human: Player, code: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const tcb = human.updates.at(-1)?.room.game.world.tcb;
    if (tcb?.A.state === 'ESTABLISHED' && tcb.B.state === 'ESTABLISHED') return;
    const hint = await call<{ ok: boolean; hint: Card | null }>(human, 'hint:ask', { code });
    if (hint.ok && hint.hint) await call(human, 'card:play', { code, version: human.version, card: hint.hint });
    else await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the handshake did not complete');
}

describe('a room with the Linux profile', () => {
  it('is refused with an unknown profile, and keeps "linux" with its options', async () => {
    const human = await connect(server.url);
    const bad = await call(human, 'room:create', { mode: 'bot', profile: 'bsd' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_PAYLOAD' } });
    const plain = await call(human, 'room:create', { mode: 'bot' });
    expect(plain.ok).toBe(true);
    expect(plain.room.game.options.profile).toBeUndefined();
    const linux = await call(human, 'room:create', { mode: 'bot', profile: 'linux' });
    expect(linux.ok).toBe(true);
    expect(linux.room.game.options.profile).toBe('linux');
    closeAll(human);
  });

  it('the referee expects Linux\'s RST with ACK on abort, and refuses the RFC\'s plain RST', async () => {
    const human = await connect(server.url);
    const created = await call(human, 'room:create', { mode: 'bot', seat: 'A', profile: 'linux' });
    const code = created.room.code;
    human.version = created.room.version;
    await openAsA(human, code);
    const { A } = lastRoom(human).game.world.tcb;
    expect(await call(human, 'card:play', { code, version: human.version, card: { kind: 'call', call: 'abort' } })).toMatchObject({ ok: true });
    const plain = await call(human, 'card:play', { code, version: human.version, card: { kind: 'segment', flags: ['RST'], seq: A.sndNxt, ack: null, len: 0 } });
    expect(plain).toMatchObject({ ok: false, error: { code: 'REFUSED', refusal: { code: 'MISSING_ACK_FLAG', hint: { flags: ['ACK', 'RST'], seq: A.sndNxt, ack: A.rcvNxt } } } });
    const linux = await call(human, 'card:play', { code, version: human.version, card: { kind: 'segment', flags: ['RST', 'ACK'], seq: A.sndNxt, ack: A.rcvNxt, len: 0 } });
    expect(linux).toMatchObject({ ok: true });
    await until(() => lastRoom(human).game.world.tcb.B.state === 'CLOSED', 'the bot is reset');
    closeAll(human);
  });

  it('the bot plays Linux\'s choices: in "What Linux does differently" it takes a new SYN in TIME-WAIT and aborts with RST,ACK', async () => {
    const human = await connect(server.url);
    // the level's player is the server; here the human takes the client and the bot the Linux server
    const created = await call(human, 'room:create', { mode: 'bot', seat: 'A', mission: 'l19-linux-differences' });
    expect(created.room.game.options.profile).toBe('linux');
    human.version = created.room.version;
    await playToEnd(created.room.code, { A: human }, 15_000);
    const room = lastRoom(human);
    expect(room.game.outcome).toBe('completed');
    const fromBot = room.game.timeline.flatMap((e) => (e.kind === 'segment' && e.segment.from === 'B' ? [`${e.segment.flags.join(',')} ${e.segment.seq} ${e.segment.ack}`] : []));
    expect(fromBot[0]).toBe('ACK,SYN 700 101');
    expect(fromBot.at(-1)).toBe('ACK,RST 701 106');
    closeAll(human);
  });

  it('"What Linux does differently" played as the level means it: the human is the Linux server, the bot the client', async () => {
    const human = await connect(server.url);
    const created = await call(human, 'room:create', { mode: 'bot', seat: 'B', mission: 'l19-linux-differences' });
    human.version = created.room.version;
    expect(created.room.game.world.tcb.B.state).toBe('TIME-WAIT');
    await playToEnd(created.room.code, { B: human }, 15_000);
    const room = lastRoom(human);
    expect(room.game.outcome).toBe('completed');
    expect(room.game.goals).toEqual(expect.arrayContaining(['handshake', 'data', 'reset']));
    const fromHuman = room.game.timeline.flatMap((e) => (e.kind === 'segment' && e.segment.from === 'B' ? [`${e.segment.flags.join(',')} ${e.segment.seq} ${e.segment.ack}`] : []));
    expect(fromHuman).toEqual(['ACK,SYN 700 101', 'ACK 701 106', 'ACK,RST 701 106']);
    closeAll(human);
  });
});
