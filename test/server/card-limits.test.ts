// A card's values are the referee's to judge, not the socket schema's: a card that breaks a limit of
// shared/game/limits.ts (a seq of 2^32, a length of -1, an unknown flag) gets the referee's explanation,
// through a real server and real sockets, and changes nothing but the sender's mistake count.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { CARD_LIMITS } from '../../shared/game/limits.ts';
import { call, closeAll, connect, testServer, until } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('a card out of the limits', () => {
  it('is refused by the referee with its explanation in both languages, not as BAD_PAYLOAD', async () => {
    const player = await connect(server.url);
    const created = await call(player, 'room:create', { mode: 'bot', seat: 'A' });
    expect(created.ok).toBe(true);
    const code: string = created.room.code;
    // the bot (the tower) listens by itself; after that nothing moves until the pilot plays
    await until(() => player.updates.at(-1)?.room.game.world.tcb.B.state === 'LISTEN', 'the bot listens');
    const version = () => player.version;
    const refusalOf = async (card: unknown) => {
      const reply = await call(player, 'card:play', { code, version: version(), card });
      expect(reply.ok, JSON.stringify(reply)).toBe(false);
      expect(reply.error.code).toBe('REFUSED');
      return reply.error.refusal;
    };
    const before = (await call(player, 'room:resync', { code })).room;

    const seq = await refusalOf({ kind: 'segment', flags: ['SYN'], seq: 2 ** 32, ack: null, len: 0 });
    expect(seq.code).toBe('SEQ_OUT_OF_RANGE');
    for (const text of [seq.explanation.en, seq.explanation.zh]) {
      expect(text).toContain('4294967296');
      expect(text).toContain(String(CARD_LIMITS.seqMax));
    }
    expect(seq.rule).toBe('RFC 9293 §3.1');

    const len = await refusalOf({ kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: -1 });
    expect(len.code).toBe('NEGATIVE_LENGTH');
    for (const text of [len.explanation.en, len.explanation.zh]) expect(text).toContain('-1');

    const tooLong = await refusalOf({ kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: CARD_LIMITS.lenMax + 1 });
    expect(tooLong.code).toBe('NEGATIVE_LENGTH');
    expect(tooLong.explanation.en).toContain(String(CARD_LIMITS.lenMax));

    const flag = await refusalOf({ kind: 'segment', flags: ['SYN', 'BOGUS'], seq: 100, ack: null, len: 0 });
    expect(flag.code).toBe('UNKNOWN_FLAG');
    expect(flag.explanation.zh).toContain('BOGUS');

    const ack = await refusalOf({ kind: 'segment', flags: ['ACK'], seq: 100, ack: 1.5, len: 0 });
    expect(ack.code).toBe('ACK_OUT_OF_RANGE');

    const data = await refusalOf({ kind: 'call', call: 'send', data: 'x'.repeat(CARD_LIMITS.dataMaxChars + 1) });
    expect(data.code).toBe('MALFORMED_CARD');
    expect(data.explanation.en).toContain(`at most ${CARD_LIMITS.dataMaxChars} characters`);
    expect(data.explanation.zh).toContain(`最多 ${CARD_LIMITS.dataMaxChars} 个字符`);
    const unknownCall = await refusalOf({ kind: 'call', call: 'explode' });
    expect(unknownCall.code).toBe('MALFORMED_CARD');
    expect(unknownCall.explanation.zh).toContain('“explode”不是用户调用');

    // nothing moved: the same version and the same connection; the five judged cards count as mistakes
    const after = (await call(player, 'room:resync', { code })).room;
    expect(after.version).toBe(before.version);
    expect(after.game.world).toEqual(before.game.world);
    expect(after.game.score.A.mistakes).toBe(before.game.score.A.mistakes + 5);
    closeAll(player);
  });
});
