// GET /r/CODE/capture.pcapng on a real server (127.0.0.1, ephemeral port): a room played to the end against
// the bot comes back as a pcapng file holding that round's segments, in order, in the room's language.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { readCapture } from '../../shared/capture/file.ts';
import { decodeTcp } from '../../shared/capture/frames.ts';
import { call, closeAll, connect, playToEnd, testServer, until } from '../server/helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer({ botDelayMs: [20, 40] });
});
afterAll(async () => {
  await server.close();
});

describe('GET /r/CODE/capture.pcapng', () => {
  it('sends the round as pcapng: its segments in order, comments in the room\'s language or ?lang=', async () => {
    const human = await connect(server.url);
    const created = await call(human, 'room:create', { mode: 'bot', seat: 'A', nickname: 'Cap', language: 'zh-CN' });
    expect(created.ok).toBe(true);
    human.version = Math.max(human.version, created.room.version);
    const code: string = created.room.code;
    await playToEnd(code, { A: human }, 20_000);
    await until(() => human.updates.at(-1)?.room.phase === 'finished', 'the round ends');
    const room = human.updates.at(-1)!.room;
    expect(room.phase).toBe('finished');
    const sent = room.game.timeline.filter((entry: { kind: string }) => entry.kind === 'segment').map((entry: any) => entry.segment);
    expect(sent.length).toBeGreaterThanOrEqual(7);

    const response = await fetch(`${server.url}/r/${code}/capture.pcapng`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/x-pcapng');
    expect(response.headers.get('content-disposition')).toContain(`handshake-${code}.pcapng`);
    const file = readCapture(new Uint8Array(await response.arrayBuffer()));
    const segments = file.packets.map((p, i) => decodeTcp(p, i)!);
    expect(segments.map((s) => [s.seq, s.ack, s.len])).toEqual(sent.map((s: any) => [s.seq, s.ack ?? 0, s.len]));
    expect(file.packets[0].comment).toContain('裁判');

    const english = readCapture(new Uint8Array(await (await fetch(`${server.url}/r/${code}/capture.pcapng?lang=en`)).arrayBuffer()));
    expect(english.packets[0].comment).toContain('Referee');
    closeAll(human);
  });

  it('answers 404 in both languages for an unknown or malformed code, and the server keeps serving', async () => {
    for (const code of ['ZZZZZZ', 'not-a-code', '%00', 'A'.repeat(500)]) {
      const response = await fetch(`${server.url}/r/${code}/capture.pcapng`);
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(text).toContain('No room has this code');
      expect(text).toContain('没有这个房间码');
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
