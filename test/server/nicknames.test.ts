// Look-alike nicknames in a class, over real sockets: once "Anna" has joined, "Аnna" with a Cyrillic А (or a
// Greek Α, full-width Ａ, an accent) is refused as a duplicate, with the message in both languages, on join and
// on the host's rename; a different Cyrillic name and Chinese names are taken, and shown as typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { classError } from '../../shared/i18n/errors.ts';
import { call, closeAll, testServer, until } from './helpers.ts';
import { lastFeed, member, type ClassMember } from './class-helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

const TAKEN = classError('NICKNAME_TAKEN');

describe('look-alike nicknames in a class', () => {
  it('refuses "Аnna" (Cyrillic А) after "Anna", takes "Ана" and "王小明"', async () => {
    const host = await member(server.url);
    const created = await call(host, 'class:create', { mode: 'workshop' });
    expect(created).toMatchObject({ ok: true });
    const code: string = created.code;
    const sockets: ClassMember[] = [host];
    const join = async (nickname: string) => {
      const p = await member(server.url);
      sockets.push(p);
      return call(p, 'class:join', { code, nickname });
    };

    expect(await join('Anna')).toMatchObject({ ok: true, you: { nickname: 'Anna' } });

    const spoof = await join('\u0410nna');
    expect(spoof).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    // the duplicate-name error, in both languages
    expect(spoof.error.message).toEqual(TAKEN.message);
    expect(spoof.error.message.en).toMatch(/already uses this nickname/);
    expect(spoof.error.message.zh).toMatch(/已经有人使用这个昵称/);

    // other copies of the same name
    for (const copy of ['\u0391nna', '\uFF21\uFF4E\uFF4E\uFF41', ' \u00C1nn\u0430 ', 'AN\u200BNA', 'An na']) {
      expect(await join(copy), JSON.stringify(copy)).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    }

    // a different Cyrillic name, and Chinese names that differ by one character
    const ana = await join('Ана');
    expect(ana).toMatchObject({ ok: true, you: { nickname: 'Ана' } });
    expect(await join('王小明')).toMatchObject({ ok: true, you: { nickname: '王小明' } });
    expect(await join('王小朋')).toMatchObject({ ok: true, you: { nickname: '王小朋' } });
    expect(await join('王小明')).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });
    // the old rule still holds: case and width
    expect(await join('anna')).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN' } });

    // the projector shows the names as typed
    await until(() => lastFeed(host)?.players.length === 4, 'the lobby shows four players');
    expect(lastFeed(host).players.map((p) => p.nickname).sort()).toEqual(['Anna', 'Ана', '王小明', '王小朋'].sort());

    // the host's rename goes through the same comparison, and a player may keep their own name's look
    const playerId: string = ana.you.playerId;
    const renamed = await call(host, 'class:rename', { code, playerId, nickname: '\u0391\u039D\u039D\u0391' });
    expect(renamed).toMatchObject({ ok: false, error: { code: 'NICKNAME_TAKEN', message: TAKEN.message } });
    expect(await call(host, 'class:rename', { code, playerId, nickname: 'АНА' })).toMatchObject({ ok: true });
    expect(await call(host, 'class:rename', { code, playerId, nickname: 'Аня' })).toMatchObject({ ok: true });
    await until(() => lastFeed(host).players.some((p) => p.nickname === 'Аня'), 'the rename reaches the projector');
    closeAll(...sockets);
  });
});
