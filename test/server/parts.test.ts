// The small parts on their own: token buckets, the serial queue, room codes, the store's records.
import { roomKey } from '../../server/store/stateStore.ts';
import { RECORD_FORMAT } from '../../server/store/records.ts';
import { hashSecret } from '../../server/secrets.ts';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.ts';
import { KeyedLimiter, TokenBucket } from '../../server/rateLimit.ts';
import { newRoomCode } from '../../server/roomCode.ts';
import { SerialQueue } from '../../server/serialQueue.ts';
import { ROOM_CODE_ALPHABET, roomCodeSchema } from '../../shared/protocol/events.ts';
import { PROTOCOL_ERROR_MESSAGES, protocolError } from '../../shared/i18n/errors.ts';
import { PROTOCOL_ERROR_CODES } from '../../shared/protocol/events.ts';
import { call, closeAll, connect, duel, testServer } from './helpers.ts';

describe('TokenBucket', () => {
  it('allows a burst, refuses beyond it, and refills with time', () => {
    let now = 0;
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 2 }, () => now);
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false]);
    now = 499;
    expect(bucket.take()).toBe(false);
    now = 500;
    expect(bucket.take()).toBe(true);
    expect(bucket.take()).toBe(false);
    bucket.charge(10); // a penalty can go below zero, down to -capacity (-3)
    now = 500 + 1499; // -3 + 2.998 < 1
    expect(bucket.take()).toBe(false);
    now = 500 + 1499 + 501; // -3 + 4 = 1
    expect(bucket.take()).toBe(true);
  });

  it('keeps buckets per key and forgets full ones', () => {
    let now = 0;
    const limiter = new KeyedLimiter({ capacity: 1, refillPerSecond: 1 }, () => now);
    expect(limiter.take('a')).toBe(true);
    expect(limiter.take('a')).toBe(false);
    expect(limiter.take('b')).toBe(true);
    now = 5000;
    limiter.sweep();
    expect(limiter.size).toBe(0);
  });
});

describe('SerialQueue', () => {
  it('runs tasks one after another, in order, even when they wait or fail', async () => {
    const queue = new SerialQueue();
    const log: string[] = [];
    const slow = queue.run(async () => {
      log.push('slow start');
      await new Promise((r) => setTimeout(r, 20));
      log.push('slow end');
      return 1;
    });
    const failing = queue.run(() => {
      log.push('fail');
      throw new Error('boom');
    });
    const fast = queue.run(() => {
      log.push('fast');
      return 3;
    });
    expect(await slow).toBe(1);
    await expect(failing).rejects.toThrow('boom');
    expect(await fast).toBe(3);
    expect(log).toEqual(['slow start', 'slow end', 'fail', 'fast']);
    expect(queue.length).toBe(0);
  });
});

describe('room codes', () => {
  it('are 6 characters of the alphabet without look-alikes, and do not repeat', () => {
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i += 1) {
      const code = newRoomCode();
      expect(code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
      expect(roomCodeSchema.parse(code)).toBe(code);
      codes.add(code);
    }
    expect(codes.size).toBe(5000);
    expect(ROOM_CODE_ALPHABET).not.toMatch(/[01OIl]/);
    // every letter is used: the draw is not skewed to a part of the alphabet
    const letters = new Set([...codes].join(''));
    expect(letters.size).toBe(ROOM_CODE_ALPHABET.length);
  });
});

describe('protocol errors', () => {
  it('have a message in English and Chinese for every code', () => {
    for (const code of PROTOCOL_ERROR_CODES) {
      const error = protocolError(code);
      expect(error.code).toBe(code);
      expect(PROTOCOL_ERROR_MESSAGES[code].en.length).toBeGreaterThan(10);
      expect(error.message.zh).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(protocolError('STALE_VERSION', { version: 7 }).version).toBe(7);
  });
});

describe('config', () => {
  it('reads the environment with safe defaults', () => {
    const config = loadConfig({ PORT: '8080', ORIGINS: 'http://a.example, http://b.example', GRACE_MS: 'x' });
    expect(config.port).toBe(8080);
    expect(config.origins).toEqual(['http://a.example', 'http://b.example']);
    expect(config.graceMs).toBe(60_000);
    const defaults = loadConfig({});
    expect(defaults.port).toBe(3000);
    expect(defaults.origins).toEqual([]);
    expect(defaults.botDelayMs).toEqual([500, 1200]);
    expect(defaults.logLevel).toBe('info');
    expect(loadConfig({ VITEST: 'true' }).logLevel).toBe('silent');
  });
});

describe('the store', () => {
  it('holds room records with a format version and only the hashes of seat tokens, without secrets in what members see', async () => {
    const server = await testServer();
    try {
      const { code, seats, tokens } = await duel(server.url);
      const text = await server.store.get(roomKey(code));
      expect(text).toBeDefined();
      const record = JSON.parse(text!);
      expect(record.format).toBe(RECORD_FORMAT);
      expect(record.seats.A.tokenHash).toBe(hashSecret(tokens.A));
      // a copied data file gives nobody a seat: the token itself is nowhere in it
      expect(text).not.toContain(tokens.A);
      expect(text).not.toContain(tokens.B);
      // seat tokens never go out in a view
      const view = await call(seats.B, 'room:resync', { code });
      expect(JSON.stringify(view)).not.toContain(tokens.A);
      expect(JSON.stringify(seats.B.updates)).not.toContain(tokens.A);
      expect(JSON.stringify(seats.A.presences)).not.toContain(tokens.B);
      closeAll(seats.A, seats.B);
      const c = await connect(server.url);
      closeAll(c);
    } finally {
      await server.close();
    }
  });
});
