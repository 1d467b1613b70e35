// A data file the server cannot use stops it with a message that names the file and says what to do — never a
// silent start on empty state, never a crash loop, nothing overwritten — and a disk that fills up refuses the
// change it could not save (NOT_SAVED) while the server keeps running.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILE, JournalStore } from '../../server/store/journal.ts';
import { roomKey } from '../../server/store/stateStore.ts';
import { call, closeAll, connect, type Player } from './helpers.ts';
import { freePort, startServerProcess, type ServerProcess } from './serverProcess.ts';

const EXIT_DATA_FILE = 78;
const dirs: string[] = [];
const running: ServerProcess[] = [];
const sockets: Player[] = [];
function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-data-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  closeAll(...sockets.splice(0));
  await Promise.all(running.splice(0).map((s) => s.kill('SIGKILL')));
});
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function serverWithRooms(dir: string, rooms: number): Promise<string[]> {
  const server = await startServerProcess({ port: await freePort(), dataDir: dir });
  running.push(server);
  const p = await connect(server.url);
  sockets.push(p);
  const codes: string[] = [];
  for (let i = 0; i < rooms; i += 1) {
    const created = await call(p, 'room:create', { mode: 'duel', nickname: `N${i}` });
    codes.push(created.room.code);
    await call(p, 'room:leave', { code: created.room.code });
  }
  await server.kill('SIGKILL');
  return codes;
}

/** Starts a server that must refuse to start; returns its exit and what it printed. */
async function refusedStart(dir: string, wrap?: string[]) {
  const server = await startServerProcess({ port: await freePort(), dataDir: dir, waitReady: false, wrap });
  running.push(server);
  const timeout = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 15_000));
  const exit = await Promise.race([server.exited, timeout]);
  return { exit, output: server.output() };
}

describe('a data file the server cannot use', () => {
  it('damaged in the middle: the server stops with a message naming the file, and leaves it as it was', async () => {
    const dir = dataDir();
    await serverWithRooms(dir, 3);
    const file = path.join(dir, JOURNAL_FILE);
    const bytes = readFileSync(file);
    bytes[40] ^= 0x55; // inside the first entry
    writeFileSync(file, bytes);
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const { exit, output } = await refusedStart(dir);
      expect(exit).toEqual({ code: EXIT_DATA_FILE, signal: null });
      expect(output).toContain(file);
      expect(output).toMatch(/damaged at byte \d+/);
      expect(output).toMatch(/Restore a backup, or move the file away/);
      expect(readFileSync(file).equals(bytes)).toBe(true);
    }
  });

  it('from a newer format (the file or one of its records): the server stops and says to run the newer version', async () => {
    const dir = dataDir();
    const file = path.join(dir, JOURNAL_FILE);
    const header = Buffer.alloc(16);
    header.write('HSJOURNL', 0, 'latin1');
    header.writeUInt32LE(7, 8);
    writeFileSync(file, header);
    let refused = await refusedStart(dir);
    expect(refused.exit).toEqual({ code: EXIT_DATA_FILE, signal: null });
    expect(refused.output).toMatch(/written by a newer Handshake \(journal format 7/);
    expect(readFileSync(file).equals(header)).toBe(true);

    rmSync(file);
    const store = JournalStore.open(dir);
    await store.put(roomKey('ABCDEF'), JSON.stringify({ format: 9, code: 'ABCDEF' }));
    await store.close();
    const before = readFileSync(file);
    refused = await refusedStart(dir);
    expect(refused.exit).toEqual({ code: EXIT_DATA_FILE, signal: null });
    expect(refused.output).toMatch(/room:ABCDEF: the record was written by a newer Handshake \(record format 9/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('cut short at the end (a write a crash interrupted): the cut bytes are set aside and everything before them is back', async () => {
    const dir = dataDir();
    const codes = await serverWithRooms(dir, 4);
    const file = path.join(dir, JOURNAL_FILE);
    const size = statSync(file).size;
    truncateSync(file, size - 7);
    const server = await startServerProcess({ port: await freePort(), dataDir: dir });
    running.push(server);
    expect(server.output()).toMatch(/interrupted last write was set aside/);
    const aside = readdirSync(dir).filter((name) => name.startsWith(`${JOURNAL_FILE}.torn-`));
    expect(aside).toHaveLength(1);
    // the first rooms are whole (the cut took part of the last entry only)
    const p = await connect(server.url);
    sockets.push(p);
    const first = await call(p, 'room:join', { code: codes[0], spectate: true });
    expect(first.ok).toBe(true);
  });

  it('in a read-only folder: the server stops and says it cannot write there', async () => {
    const dir = dataDir();
    const readOnly = path.join(dir, 'ro');
    mkdirSync(readOnly);
    let wrap: string[];
    if (process.getuid?.() === 0) {
      // root writes through file modes: a read-only file system mounted for this one process is the real thing
      try {
        execFileSync('unshare', ['-m', 'sh', '-c', `mount -t tmpfs -o ro tmpfs ${readOnly}`]);
      } catch {
        console.warn('skipped: cannot mount a read-only file system here (no unshare/mount privilege)');
        return;
      }
      wrap = ['unshare', '-m', 'sh', '-c', `mount -t tmpfs -o ro,size=1m tmpfs ${readOnly} && exec "$@"`, 'sh'];
    } else {
      execFileSync('chmod', ['555', readOnly]);
      wrap = [];
    }
    const { exit, output } = await refusedStart(readOnly, wrap);
    expect(exit).toEqual({ code: EXIT_DATA_FILE, signal: null });
    expect(output).toContain(path.join(readOnly, JOURNAL_FILE));
    expect(output).toMatch(/cannot write in .* \((EROFS|EACCES)\)/);
  });
});

describe('a disk that fills up', () => {
  it('refuses the change it could not save with NOT_SAVED, keeps running, and keeps every change it acknowledged', async () => {
    const dir = dataDir();
    const port = await freePort();
    // a file size limit of 48 KiB for this process (ulimit -f, in 1 KiB blocks): writes past it fail with EFBIG
    const limited = ['bash', '-c', 'ulimit -f 48; trap "" XFSZ; exec "$@"', 'bash'];
    const server = await startServerProcess({ port, dataDir: dir, wrap: limited });
    running.push(server);
    const acknowledged: { code: string; token: string }[] = [];
    let refusal: { code: string; message: { en: string; zh: string } } | null = null;
    for (let i = 0; i < 400 && !refusal; i += 1) {
      const p = await connect(server.url);
      sockets.push(p);
      const created = await call(p, 'room:create', { mode: 'duel', nickname: `Fill${i}` });
      if (created.ok) acknowledged.push({ code: created.room.code, token: created.seatToken });
      else refusal = created.error;
    }
    expect(refusal?.code).toBe('NOT_SAVED');
    expect(refusal?.message.en).toMatch(/could not save/);
    expect(refusal?.message.zh).toMatch(/没能保存/);
    // still up, still answering
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
    expect(server.output()).toMatch(/file too large|disk is full/);
    await server.kill('SIGKILL');
    // without the limit: every acknowledged room is there, and the file is whole
    const again = await startServerProcess({ port, dataDir: dir });
    running.push(again);
    expect(again.output()).not.toMatch(/set aside/);
    for (const room of acknowledged) {
      // its own socket for each: a socket may watch only a few rooms at once
      const q = await connect(again.url);
      sockets.push(q);
      const back = await call(q, 'room:join', { code: room.code, seatToken: room.token });
      expect(back.ok, `${room.code} ${JSON.stringify(back.error)} of ${acknowledged.length}: ${acknowledged.map((r) => r.code).indexOf(room.code)}`).toBe(true);
    }
    expect(existsSync(path.join(dir, JOURNAL_FILE))).toBe(true);
  });
});
