// The embedded store's journal on a real disk: what is committed is there after reopening, a torn last write
// is set aside, damage or a newer format stops the opening with a message that names the file, one server per
// file, and the file shrinks when it is compacted.
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JournalStore } from '../../server/store/journal.ts';
import { StoreOpenError } from '../../server/store/stateStore.ts';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'journal-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('the journal', () => {
  it('gives back after reopening every value whose put resolved, the newest per key, and forgets deleted keys', async () => {
    const dir = freshDir();
    const store = JournalStore.open(dir);
    await Promise.all([store.put('room:A', '{"v":1}'), store.put('room:B', '{"v":"ü"}'), store.put('session:C', '{}')]);
    await store.put('room:A', '{"v":2}');
    await store.delete('session:C');
    await store.close();
    const again = JournalStore.open(dir);
    expect(await again.get('room:A')).toBe('{"v":2}');
    expect(await again.get('room:B')).toBe('{"v":"ü"}');
    expect(await again.get('session:C')).toBeUndefined();
    expect((await again.keys('room:')).sort()).toEqual(['room:A', 'room:B']);
    await again.close();
  });

  it('commits the writes of many keys made in one turn together (group commit)', async () => {
    const store = JournalStore.open(freshDir());
    await Promise.all(Array.from({ length: 50 }, (_, i) => store.put(`room:${i}`, `{"i":${i}}`)));
    const stats = store.stats();
    expect(stats.entries).toBe(50);
    expect(stats.commits).toBeLessThanOrEqual(2);
    await store.close();
  });

  it('sets a torn last entry aside in a side file and opens with everything before it', async () => {
    const dir = freshDir();
    const store = JournalStore.open(dir);
    await store.put('room:A', '{"kept":true}');
    await store.close();
    const file = path.join(dir, JOURNAL_FILE);
    const whole = statSync(file).size;
    // half an entry, as a write cut short by kill -9 leaves it
    appendFileSync(file, Buffer.from([40, 0, 0, 0, 1, 2, 3, 4, 5, 0, 114, 111]));
    const logged: string[] = [];
    const again = JournalStore.open(dir, { log: (message) => logged.push(message) });
    expect(await again.get('room:A')).toBe('{"kept":true}');
    expect(statSync(file).size).toBe(whole);
    expect(readdirSync(dir).some((name) => name.startsWith(`${JOURNAL_FILE}.torn-`))).toBe(true);
    expect(logged.join(' ')).toMatch(/set aside/);
    await again.put('room:B', '{}');
    await again.close();
    const third = JournalStore.open(dir);
    expect(await third.get('room:B')).toBe('{}');
    await third.close();
  });

  it('refuses to open a file damaged in the middle, names it, and leaves it untouched', async () => {
    const dir = freshDir();
    const store = JournalStore.open(dir);
    await store.put('room:A', '{"a":1}');
    await store.put('room:B', '{"b":2}');
    await store.close();
    const file = path.join(dir, JOURNAL_FILE);
    const bytes = readFileSync(file);
    bytes[16 + 8 + 2 + 6 + 2] ^= 0xff; // a byte of room:A's value
    writeFileSync(file, bytes);
    const error = (() => {
      try {
        JournalStore.open(dir);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/damaged at byte 16/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
    // and it did not leave its lock behind: a fixed file opens
    expect(existsSync(`${file}.lock`)).toBe(false);
  });

  it('refuses a file from a newer format and a file that is not a journal', () => {
    const dir = freshDir();
    const file = path.join(dir, JOURNAL_FILE);
    const header = Buffer.alloc(16);
    header.write('HSJOURNL', 0, 'latin1');
    header.writeUInt32LE(99, 8);
    writeFileSync(file, header);
    expect(() => JournalStore.open(dir)).toThrow(/newer Handshake \(journal format 99/);
    writeFileSync(file, 'SQLite format 3\0 and so on');
    expect(() => JournalStore.open(dir)).toThrow(/not a Handshake journal/);
    expect(readFileSync(file, 'utf8')).toContain('SQLite');
  });

  it('lets one server at a time use a file, and takes over the lock of a server that was killed', async () => {
    const dir = freshDir();
    const first = JournalStore.open(dir);
    writeFileSync(path.join(dir, `${JOURNAL_FILE}.lock`), String(process.ppid)); // a live process that is not us
    expect(() => JournalStore.open(dir)).toThrow(/another server \(process \d+\) is using it/);
    await first.put('room:A', '{}');
    // a dead holder: a pid no process has
    writeFileSync(path.join(dir, `${JOURNAL_FILE}.lock`), '2147483646');
    const second = JournalStore.open(dir);
    expect(await second.get('room:A')).toBe('{}');
    await second.close();
  });

  it('compacts: a file rewritten many times shrinks to its live entries and keeps them', async () => {
    const dir = freshDir();
    const store = JournalStore.open(dir, { compactMinBytes: 64 * 1024, compactRatio: 3 });
    const value = JSON.stringify({ pad: 'x'.repeat(500) });
    for (let round = 0; round < 60; round += 1) {
      await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(`room:${i}`, `${value.slice(0, -1)},"round":${round}}`)));
    }
    // compaction runs in the background: the last one started may still be copying
    for (let waited = 0; store.stats().compactions === 0 && waited < 5000; waited += 20) await pause(20);
    expect(store.stats().compactions).toBeGreaterThan(0);
    await store.compact();
    expect(statSync(path.join(dir, JOURNAL_FILE)).size).toBeLessThan(3 * 20 * 600 + 64 * 1024);
    await store.close();
    const again = JournalStore.open(dir);
    expect(JSON.parse((await again.get('room:7'))!).round).toBe(59);
    await again.close();
  });

  it('compacts in the background: what is written, overwritten and deleted while it copies is all there after, and after reopening', async () => {
    const dir = freshDir();
    // no automatic compaction (this test starts it), and every bit committed meanwhile is caught up in the background
    const store = JournalStore.open(dir, { compactMinBytes: 1 << 30, catchUpBytes: 0 });
    const value = (key: number, round: number) => JSON.stringify({ key, round, pad: 'y'.repeat(300) });
    for (let round = 0; round < 5; round += 1) {
      await Promise.all(Array.from({ length: 400 }, (_, key) => store.put(`room:${key}`, value(key, round))));
    }
    const sizeBefore = statSync(path.join(dir, JOURNAL_FILE)).size;
    const compacted = store.compact();
    // while the live entries are copied: overwrite half the keys, delete a tenth, add new ones, in several commits
    const during: Promise<void>[] = [];
    for (let key = 0; key < 400; key += 1) {
      if (key % 10 === 0) during.push(store.delete(`room:${key}`));
      else if (key % 2 === 0) during.push(store.put(`room:${key}`, value(key, 99)));
      if (key % 50 === 0) await pause(1);
    }
    for (let key = 400; key < 450; key += 1) during.push(store.put(`room:${key}`, value(key, 0)));
    await Promise.all(during);
    await compacted;
    // and after it is in place, writes land in the new file
    await store.put('room:1', value(1, 100));
    expect(store.stats().compactions).toBe(1);
    expect(statSync(path.join(dir, JOURNAL_FILE)).size).toBeLessThan(sizeBefore);
    const expected = (key: number): number | undefined =>
      key === 1 ? 100 : key >= 400 ? 0 : key % 10 === 0 ? undefined : key % 2 === 0 ? 99 : 4;
    const check = async (s: JournalStore) => {
      for (let key = 0; key < 450; key += 1) {
        const text = await s.get(`room:${key}`);
        expect(text === undefined ? undefined : JSON.parse(text).round, `room:${key}`).toBe(expected(key));
      }
      expect((await s.keys('room:')).length).toBe(450 - 40);
    };
    await check(store);
    await store.close();
    const again = JournalStore.open(dir);
    await check(again);
    await again.close();
  });
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
