// The embedded store: one append-only journal file of key → value entries, written with group commit.
//
// Why this and not a database package: the store must install from the npm registry alone on Node 20 and 22,
// with no compiler and nothing downloaded, and survive SIGKILL at any instant. better-sqlite3 compiles (its
// binary download cannot be reached from many networks) and its v13 crashes on Node 20; node:sqlite does not
// exist on Node 20; lmdb and classic-level ship native binaries for some platforms only (22 MB and 7 MB) and
// were no faster here; the WASM SQLite left lock directories behind after kill -9 that blocked reopening.
// What the server needs is small — whole records by key, durable before an answer leaves, loaded at start —
// and an append + fdatasync per batch is the disk's own floor (measured here: 10–17k writes/s at 50 per
// commit). So: plain files, Node's own fs, one fdatasync per batch for every room that changed meanwhile.
//
// File layout: a 16-byte header ("HSJOURNL", u32 file format, u32 reserved), then entries
//   u32 payload length | u32 CRC-32 of payload | payload = u16 key length | key (UTF-8) | value (UTF-8)
// An empty value is a deletion. The newest entry of a key wins. A torn last entry (a write cut short by a
// crash or a power loss: never acknowledged, since its fdatasync never returned) is moved to a side file and
// cut off; a damaged entry anywhere else stops the server with a message (never a silent start on less).
// When the file holds far more dead entries than live ones it is rewritten (compaction) into a new file that
// replaces it by rename, so a crash mid-compaction leaves the old file whole.
import {
  closeSync,
  existsSync,
  fdatasync,
  read,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readFileSync,
  readSync,
  unlinkSync,
  write,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { StateStore, StoreStats } from './stateStore.ts';
import { StoreOpenError } from './stateStore.ts';

const MAGIC = Buffer.from('HSJOURNL', 'latin1');
/** how many of the latest puts' waits stats() reports percentiles of */
const RECENT_WAITS = 20_000;
const HEADER_BYTES = 16;
/** The journal's own layout (not the records' format, which records carry themselves). */
export const JOURNAL_FORMAT = 1;
const ENTRY_HEAD = 8;
/** No record comes near this; a larger length field is damage, not data. */
const MAX_ENTRY_BYTES = 64 * 1024 * 1024;
export const JOURNAL_FILE = 'handshake.journal';

interface Location {
  /** where the value starts in the file, and its length in bytes */
  offset: number;
  length: number;
}

/** A compaction under way: the live entries as of `snapshotEnd` are being copied into `temporary`. */
interface Compaction {
  snapshotEnd: number;
  temporary: string;
  /** set once the copy is written: then the writer puts it in place between two commits */
  copy: CopiedEntries | null;
  done: Promise<void>;
  finished: () => void;
}

interface CopiedEntries {
  handle: FileHandle;
  /** where the copy of the live entries ends (the entries appended since the snapshot follow, in order) */
  end: number;
  /** the old file's entries from the snapshot up to here are already copied after them */
  tailCopiedTo: number;
  /** each copied key's value in the new file */
  moved: Map<string, Location>;
}

interface Pending {
  key: string;
  value: string;
  /** when it was put (performance.now()), for the wait a put sees: stats().commitWaitMs */
  at: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

export interface JournalOptions {
  /** rewrite the file once it is this many times larger than its live entries… */
  compactRatio?: number;
  /**
   * …and at least this large (bytes). Compaction runs in the background, so this only bounds how often it
   * copies the live records (1.6 MB at 1,000 rooms) and how much a restart reads: at 16 MB, with 1,000 rooms
   * playing (3 MB a second), every five seconds or so.
   */
  compactMinBytes?: number;
  /** a compaction's catch-up copies in the background until less than this is left (bytes; tests set 0) */
  catchUpBytes?: number;
  /** warnings (a torn tail set aside, a compaction) go here */
  log?: (message: string, fields?: object) => void;
}

export class JournalStore implements StateStore {
  readonly kind = 'file';
  readonly file: string;
  private fd: number;
  private readonly lockFile: string;
  private readonly index = new Map<string, Location>();
  /** bytes of the file the live entries take (for when to compact) */
  private liveBytes = 0;
  private end: number;
  private queue: Pending[] = [];
  private flushing = false;
  private closed = false;
  private idle: Array<() => void> = [];
  /** the compaction under way, if any */
  private compaction: Compaction | null = null;
  /** after a failed compaction (a full disk), the next try waits a minute instead of following every commit */
  private compactNotBefore = 0;
  private readonly options: Required<JournalOptions>;
  /** how long the latest puts waited until they were durable (ms), a ring of the last RECENT_WAITS */
  private readonly recentWaits = new Float64Array(RECENT_WAITS);
  /** how long the latest commits' write and fdatasync took (ms), a ring of the last RECENT_WAITS */
  private readonly recentSyncs = new Float64Array(RECENT_WAITS);
  private waitsSeen = 0;
  private readonly counters = { commits: 0, entries: 0, syncMs: 0, maxBatch: 0, compactions: 0, compactionHoldMaxMs: 0, failedCommits: 0 };

  private constructor(dir: string, options: JournalOptions) {
    this.options = { compactRatio: 4, compactMinBytes: 16 * 1024 * 1024, catchUpBytes: CATCH_UP_ENOUGH_BYTES, log: () => {}, ...options };
    this.file = path.join(dir, JOURNAL_FILE);
    this.lockFile = `${this.file}.lock`;
    this.takeLock();
    try {
      this.fd = openSync(this.file, existsSync(this.file) ? 'r+' : 'w+');
      this.end = this.load();
    } catch (error) {
      this.releaseLock();
      throw error;
    }
  }

  /** Opens (or creates) the journal in `dir`; a file it cannot read throws a StoreOpenError that says what to do. */
  static open(dir: string, options: JournalOptions = {}): JournalStore {
    try {
      return new JournalStore(dir, options);
    } catch (error) {
      if (error instanceof StoreOpenError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const file = path.join(dir, JOURNAL_FILE);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new StoreOpenError(file, `cannot write in ${dir} (${code}). Give the server write access to it, or set DATA_DIR to a folder it can write in.`);
      }
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        throw new StoreOpenError(file, `the folder ${dir} does not exist (${code}). Create it, or set DATA_DIR to another folder.`);
      }
      if (code === 'ENOSPC' || code === 'EDQUOT') {
        throw new StoreOpenError(file, `the disk holding ${dir} is full (${code}). Free some space and start again.`);
      }
      throw new StoreOpenError(file, `it could not be opened: ${(error as Error).message}`);
    }
  }

  // ---------------------------------------------------------------- reading

  async get(key: string): Promise<string | undefined> {
    return this.read(key);
  }

  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for (const key of this.index.keys()) if (key.startsWith(prefix)) found.push(key);
    return found;
  }

  private read(key: string): string | undefined {
    const at = this.index.get(key);
    if (!at) return undefined;
    const buffer = Buffer.allocUnsafe(at.length);
    readSync(this.fd, buffer, 0, at.length, at.offset);
    return buffer.toString('utf8');
  }

  // ---------------------------------------------------------------- writing (group commit)

  /** Resolves once the value is on disk (fdatasync returned); rejects if it could not be written. */
  put(key: string, value: string): Promise<void> {
    if (value.length === 0) return Promise.reject(new Error('an empty value is a deletion: use delete()'));
    return this.enqueue(key, value);
  }

  delete(key: string): Promise<void> {
    return this.enqueue(key, '');
  }

  private enqueue(key: string, value: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ key, value, resolve, reject, at: performance.now() });
      this.kick();
    });
  }

  /**
   * The one writer of the file: commits queued entries batch by batch (one write and one fdatasync each; the
   * entries queued meanwhile form the next batch) and, between two batches, puts a finished compaction in place.
   */
  private async pump(): Promise<void> {
    while (this.queue.length > 0 || this.compaction?.copy) {
      if (this.compaction?.copy) await this.finishCompaction(this.compaction);
      if (this.queue.length > 0) await this.commitBatch();
    }
    this.flushing = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private kick(): void {
    if (this.flushing) return;
    this.flushing = true;
    // the writes of everything else that runs in this turn of the event loop join the same commit
    setImmediate(() => void this.pump());
  }

  private async commitBatch(): Promise<void> {
    const batch = this.queue;
    this.queue = [];
    const start = this.end;
    const encoded = batch.map((p) => encodeEntry(p.key, p.value));
    const bytes = Buffer.concat(encoded);
    const began = performance.now();
    try {
      // The write only copies the batch into the page cache (tens of µs), so it is done here; only the fdatasync,
      // which waits for the disk, goes to the thread pool. Both in the pool cost two hand-overs per commit, and
      // where the server has one core each one stops the main thread (bench:server showed them as a sixth of it).
      writeAllNow(this.fd, bytes, start);
      await new Promise<void>((resolve, reject) => fdatasync(this.fd, (error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.counters.failedCommits += 1;
      // nothing of this batch was acknowledged: cut the file back so the next batch does not follow half an entry
      try {
        ftruncateSync(this.fd, start);
        fsyncSync(this.fd);
      } catch {
        /* the next commit fails the same way and says so */
      }
      const reason = describeWriteError(error as NodeJS.ErrnoException, this.file);
      for (const p of batch) p.reject(reason);
      return;
    }
    const took = performance.now() - began;
    this.counters.syncMs += took;
    this.recentSyncs[this.counters.commits % RECENT_WAITS] = took;
    this.counters.commits += 1;
    this.counters.entries += batch.length;
    this.counters.maxBatch = Math.max(this.counters.maxBatch, batch.length);
    let offset = start;
    for (let i = 0; i < batch.length; i += 1) {
      const { key, value } = batch[i];
      const entryBytes = encoded[i].length;
      this.forget(key);
      if (value.length > 0) {
        const keyBytes = Buffer.byteLength(key);
        const valueOffset = offset + ENTRY_HEAD + 2 + keyBytes;
        this.index.set(key, { offset: valueOffset, length: entryBytes - ENTRY_HEAD - 2 - keyBytes });
        this.liveBytes += entryBytes;
      }
      offset += entryBytes;
    }
    this.end = offset;
    const now = performance.now();
    for (const p of batch) {
      this.recentWaits[this.waitsSeen % RECENT_WAITS] = now - p.at;
      this.waitsSeen += 1;
      p.resolve();
    }
    this.maybeCompact();
  }

  private forget(key: string): void {
    const old = this.index.get(key);
    if (!old) return;
    this.liveBytes -= old.length + ENTRY_HEAD + 2 + Buffer.byteLength(key);
    this.index.delete(key);
  }

  // ---------------------------------------------------------------- compaction
  //
  // Compaction never stops the server: the live entries as they are at one instant (the snapshot) are copied
  // into a new file in the background, with asynchronous reads and writes, while commits go on appending to
  // the old file. Then, between two commits, what was appended since the snapshot is copied after them (whole
  // entries, byte for byte), the new file is synced and renamed over the old one, and the index moves to it.
  // Only that last step holds the commits back, and it copies a few milliseconds' worth of entries.

  private maybeCompact(): void {
    const { compactRatio, compactMinBytes } = this.options;
    if (this.compaction || performance.now() < this.compactNotBefore || this.end < compactMinBytes || this.end < compactRatio * Math.max(this.liveBytes, 1)) return;
    this.startCompaction();
  }

  /** Starts copying the live entries into a new file; `done` of the returned job settles when it is in place or given up. */
  private startCompaction(): Compaction {
    let finished!: () => void;
    const job: Compaction = {
      snapshotEnd: this.end,
      temporary: `${this.file}.compacting`,
      copy: null,
      done: new Promise<void>((resolve) => (finished = resolve)),
      finished: () => finished(),
    };
    this.compaction = job;
    const live = [...this.index].sort((a, b) => a[1].offset - b[1].offset);
    void this.prepareCopy(job, live);
    return job;
  }

  private async prepareCopy(job: Compaction, live: Array<[string, Location]>): Promise<void> {
    let copy: CopiedEntries | null = null;
    try {
      copy = await copyLiveEntries(this.fd, job.temporary, live);
      await this.catchUp(job, copy);
    } catch (error) {
      await this.abandonCompaction(job, error, copy);
      return;
    }
    job.copy = copy;
    // put it in place between two commits (at once if the store is idle)
    this.kick();
  }

  /**
   * Still in the background: copy after the live entries what was committed since the snapshot (the copy took
   * a while, and a busy server commits megabytes meanwhile), again and again until little is left, so that
   * putting the copy in place, which holds the commits, has only a few milliseconds' worth to copy.
   */
  private async catchUp(job: Compaction, copy: CopiedEntries): Promise<void> {
    copy.tailCopiedTo = job.snapshotEnd;
    for (let round = 0; round < 8 && this.end - copy.tailCopiedTo > this.options.catchUpBytes; round += 1) {
      const upTo = this.end; // committed entries only: the file beyond `end` may still be cut back
      await this.copyTail(job, copy, upTo);
      await copy.handle.datasync();
    }
  }

  /** Copies the old file's entries from `copy.tailCopiedTo` to `upTo` into the copy, after what it holds. */
  private async copyTail(job: Compaction, copy: CopiedEntries, upTo: number): Promise<void> {
    const bytes = Buffer.allocUnsafe(upTo - copy.tailCopiedTo);
    if (bytes.length === 0) return;
    await readAll(this.fd, bytes, copy.tailCopiedTo);
    await writeAll(copy.handle.fd, bytes, copy.end + (copy.tailCopiedTo - job.snapshotEnd));
    copy.tailCopiedTo = upTo;
  }

  /** The commits are held while this runs: append what came since the catch-up, sync, rename, move the index. */
  private async finishCompaction(job: Compaction): Promise<void> {
    const copy = job.copy!;
    const before = this.end;
    const began = performance.now();
    try {
      await this.copyTail(job, copy, this.end);
      await copy.handle.datasync();
      await copy.handle.close();
      await rename(job.temporary, this.file);
      // the new name must be durable before a commit is acknowledged in the new file
      await syncDirectoryAsync(path.dirname(this.file));
    } catch (error) {
      await this.abandonCompaction(job, error, copy);
      return;
    }
    // entries written since the snapshot moved by the same distance; older live ones are where the copy put them
    const shift = copy.end - job.snapshotEnd;
    for (const [key, at] of this.index) {
      this.index.set(key, at.offset >= job.snapshotEnd ? { offset: at.offset + shift, length: at.length } : copy.moved.get(key)!);
    }
    closeSync(this.fd);
    this.fd = openSync(this.file, 'r+');
    this.end = before + shift;
    this.counters.compactions += 1;
    this.counters.compactionHoldMaxMs = Math.max(this.counters.compactionHoldMaxMs, performance.now() - began);
    this.compaction = null;
    this.options.log('journal compacted', { file: this.file, before, after: this.end });
    job.finished();
  }

  private async abandonCompaction(job: Compaction, error: unknown, copy: CopiedEntries | null): Promise<void> {
    await copy?.handle.close().catch(() => {});
    await unlink(job.temporary).catch(() => {});
    this.compaction = null;
    this.compactNotBefore = performance.now() + 60_000;
    this.options.log('journal compaction failed: the file stays as it was', { file: this.file, err: String(error) });
    job.finished();
  }

  /** Compacts now and waits until the new file is in place (tests, and a clean shutdown). */
  async compact(): Promise<void> {
    const job = this.compaction ?? this.startCompaction();
    await job.done;
  }

  // ---------------------------------------------------------------- opening

  /** Reads the whole file into the index; returns where the next entry goes. */
  private load(): number {
    const size = fstatSync(this.fd).size;
    if (size === 0) {
      writeSync(this.fd, header(), 0, HEADER_BYTES, 0);
      fsyncSync(this.fd);
      syncDirectory(path.dirname(this.file));
      return HEADER_BYTES;
    }
    const data = readFileSync(this.file);
    if (data.length < HEADER_BYTES || !data.subarray(0, 8).equals(MAGIC)) {
      if (data.length < HEADER_BYTES && MAGIC.subarray(0, data.length).equals(data.subarray(0, MAGIC.length))) {
        // a header cut short while the file was first created: nothing was ever stored in it
        ftruncateSync(this.fd, 0);
        return this.load();
      }
      throw new StoreOpenError(this.file, 'it is not a Handshake journal (its first bytes are not "HSJOURNL"). Move it away or set DATA_DIR to another folder.');
    }
    const format = data.readUInt32LE(8);
    if (format > JOURNAL_FORMAT) {
      throw new StoreOpenError(
        this.file,
        `it was written by a newer Handshake (journal format ${format}; this server reads up to ${JOURNAL_FORMAT}). Run the newer version, or move the file away to start empty.`,
      );
    }
    let offset = HEADER_BYTES;
    while (offset < data.length) {
      const problem = entryProblem(data, offset);
      if (problem) {
        if (this.isTail(data, offset)) {
          this.setTailAside(data, offset, problem);
          return offset;
        }
        throw new StoreOpenError(
          this.file,
          `it is damaged at byte ${offset} (${problem}) and valid entries follow, so this is not an interrupted write. Restore a backup, or move the file away to start empty (the server will not start on less than the file holds).`,
        );
      }
      const length = data.readUInt32LE(offset);
      const keyLength = data.readUInt16LE(offset + ENTRY_HEAD);
      const keyStart = offset + ENTRY_HEAD + 2;
      const key = data.toString('utf8', keyStart, keyStart + keyLength);
      const valueOffset = keyStart + keyLength;
      const valueLength = length - 2 - keyLength;
      this.forget(key);
      if (valueLength > 0) {
        this.index.set(key, { offset: valueOffset, length: valueLength });
        this.liveBytes += ENTRY_HEAD + length;
      }
      offset += ENTRY_HEAD + length;
    }
    return offset;
  }

  /**
   * A bad entry is a torn tail when no chain of sound entries runs from anywhere after it to the end of the
   * file. (A damaged length field would otherwise make everything after it look like one torn entry.)
   */
  private isTail(data: Buffer, offset: number): boolean {
    const limit = Math.min(data.length, offset + 4 * 1024 * 1024);
    for (let start = offset + 1; start < limit; start += 1) {
      if (soundChainToEnd(data, start)) return false;
    }
    return true;
  }

  /** Keep the torn bytes in a side file (nothing is thrown away), then cut the journal where it is whole. */
  private setTailAside(data: Buffer, offset: number, problem: string): void {
    const aside = `${this.file}.torn-${Date.now()}`;
    writeFileSync(aside, data.subarray(offset));
    ftruncateSync(this.fd, offset);
    fsyncSync(this.fd);
    this.options.log('journal: an interrupted last write was set aside (it was never acknowledged)', {
      file: this.file,
      at: offset,
      bytes: data.length - offset,
      problem,
      keptIn: aside,
    });
  }

  // ---------------------------------------------------------------- the lock: one server per journal

  private takeLock(): void {
    for (let attempt = 0; attempt < 2; attempt += 1) {
      try {
        writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = Number(readFileSync(this.lockFile, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new StoreOpenError(
          this.file,
          `another server (process ${holder}) is using it. Stop that server first, or give this one another DATA_DIR.`,
        );
      }
      // a lock left by a server that was killed: it is ours now
      unlinkSync(this.lockFile);
    }
    throw new StoreOpenError(this.file, `its lock file ${this.lockFile} could not be taken.`);
  }

  private releaseLock(): void {
    try {
      if (readFileSync(this.lockFile, 'utf8').trim() === String(process.pid)) unlinkSync(this.lockFile);
    } catch {
      /* gone already */
    }
  }

  // ---------------------------------------------------------------- the rest

  /** Waits for every queued write to be committed (or to fail). */
  flushed(): Promise<void> {
    if (!this.flushing && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flushed();
    this.closed = true;
    if (this.compaction) await this.compaction.done;
    // a clean shutdown leaves a file no larger than it needs to be (a restart then reads less)
    if (this.end > HEADER_BYTES + 2 * this.liveBytes + 64 * 1024) await this.compact();
    await this.flushed();
    closeSync(this.fd);
    this.releaseLock();
  }

  /** p50, p99 and max over the latest (up to RECENT_WAITS) of `seen` samples kept in `ring` */
  private static percentiles(ring: Float64Array, seen: number): { p50: number; p99: number; max: number; of: number } {
    const values = Array.from(ring.subarray(0, Math.min(seen, RECENT_WAITS))).sort((a, b) => a - b);
    const at = (p: number) => values[Math.min(values.length - 1, Math.floor(p * values.length))] ?? 0;
    return { p50: at(0.5), p99: at(0.99), max: values.at(-1) ?? 0, of: values.length };
  }

  stats(): StoreStats {
    return {
      kind: this.kind,
      file: this.file,
      fileBytes: this.end,
      liveBytes: this.liveBytes,
      keys: this.index.size,
      /** from put to durable, over the latest puts */
      commitWaitMs: JournalStore.percentiles(this.recentWaits, this.waitsSeen),
      /** a commit's write and fdatasync, over the latest commits */
      commitSyncMs: JournalStore.percentiles(this.recentSyncs, this.counters.commits),
      ...this.counters,
    };
  }
}

function header(): Buffer {
  const buffer = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(buffer, 0);
  buffer.writeUInt32LE(JOURNAL_FORMAT, 8);
  return buffer;
}

function encodeEntry(key: string, value: string): Buffer {
  const keyBytes = Buffer.byteLength(key);
  const valueBytes = Buffer.byteLength(value);
  const payload = 2 + keyBytes + valueBytes;
  const entry = Buffer.allocUnsafe(ENTRY_HEAD + payload);
  entry.writeUInt32LE(payload, 0);
  entry.writeUInt16LE(keyBytes, ENTRY_HEAD);
  entry.write(key, ENTRY_HEAD + 2, 'utf8');
  entry.write(value, ENTRY_HEAD + 2 + keyBytes, 'utf8');
  entry.writeUInt32LE(crc32(entry.subarray(ENTRY_HEAD)), 4);
  return entry;
}

/** What is wrong with the entry at `offset`, or null if it is whole and its checksum matches. */
function entryProblem(data: Buffer, offset: number): string | null {
  if (data.length - offset < ENTRY_HEAD + 2) return 'incomplete entry header';
  const length = data.readUInt32LE(offset);
  if (length < 2 || length > MAX_ENTRY_BYTES) return `impossible entry length ${length}`;
  if (offset + ENTRY_HEAD + length > data.length) return 'entry cut short';
  const payload = data.subarray(offset + ENTRY_HEAD, offset + ENTRY_HEAD + length);
  if (crc32(payload) !== data.readUInt32LE(offset + 4)) return 'checksum mismatch';
  if (payload.readUInt16LE(0) > length - 2) return 'key longer than its entry';
  return null;
}

/** True when whole entries run from `start` exactly to the end of the file. */
function soundChainToEnd(data: Buffer, start: number): boolean {
  let at = start;
  while (at < data.length) {
    if (entryProblem(data, at)) return false;
    at += ENTRY_HEAD + data.readUInt32LE(at);
  }
  return at === data.length;
}

async function writeAll(fd: number, bytes: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const written = await new Promise<number>((resolve, reject) =>
      write(fd, bytes, done, bytes.length - done, position + done, (error, n) => (error ? reject(error) : resolve(n))),
    );
    if (written === 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC' });
    done += written;
  }
}

function writeAllNow(fd: number, bytes: Buffer, position: number): void {
  let done = 0;
  while (done < bytes.length) {
    const written = writeSync(fd, bytes, done, bytes.length - done, position + done);
    if (written === 0) throw Object.assign(new Error('the disk took no more bytes'), { code: 'ENOSPC' });
    done += written;
  }
}

async function readAll(fd: number, bytes: Buffer, position: number): Promise<void> {
  const got = await readUpTo(fd, bytes, position);
  if (got < bytes.length) throw new Error(`the journal ended at byte ${position + got}, before ${position + bytes.length}`);
}

/** A window of the old file, read once for all the live entries it holds. */
const COPY_WINDOW_BYTES = 1024 * 1024;
/** by default, a compaction's catch-up stops once less than this is left to copy while the commits are held */
const CATCH_UP_ENOUGH_BYTES = 64 * 1024;

/**
 * Copies the live entries (sorted by where they are) from the journal open as `fd` into a new journal file at
 * `temporary`, byte for byte (their checksums stay valid), reading and writing a megabyte at a time.
 */
async function copyLiveEntries(fd: number, temporary: string, live: Array<[string, Location]>): Promise<CopiedEntries> {
  const handle = await open(temporary, 'w');
  try {
    const moved = new Map<string, Location>();
    let window = Buffer.alloc(0);
    let windowStart = 0;
    const out: Buffer[] = [header()];
    let outBytes = HEADER_BYTES;
    let written = 0;
    for (const [key, at] of live) {
      const keyBytes = Buffer.byteLength(key);
      const entryStart = at.offset - ENTRY_HEAD - 2 - keyBytes;
      const entryEnd = at.offset + at.length;
      if (entryStart < windowStart || entryEnd > windowStart + window.length) {
        window = Buffer.allocUnsafe(Math.max(COPY_WINDOW_BYTES, entryEnd - entryStart));
        windowStart = entryStart;
        window = window.subarray(0, await readUpTo(fd, window, entryStart));
        if (entryEnd > windowStart + window.length) throw new Error(`the journal ended inside the entry of ${key}`);
      }
      const entry = window.subarray(entryStart - windowStart, entryEnd - windowStart);
      moved.set(key, { offset: written + outBytes + (at.offset - entryStart), length: at.length });
      out.push(Buffer.from(entry));
      outBytes += entry.length;
      if (outBytes >= COPY_WINDOW_BYTES) {
        await writeAll(handle.fd, Buffer.concat(out), written);
        written += outBytes;
        out.length = 0;
        outBytes = 0;
      }
    }
    if (outBytes > 0) await writeAll(handle.fd, Buffer.concat(out), written);
    // synced here, in the background: put in place between two commits, only the short tail is left to sync
    // (syncing the whole copy there held the commits back 50–100 ms at 1,000 rooms)
    await handle.datasync();
    return { handle, end: written + outBytes, moved, tailCopiedTo: 0 };
  } catch (error) {
    await handle.close().catch(() => {});
    throw error;
  }
}

/** Reads as much as the file has from `position`, up to the buffer's length. */
async function readUpTo(fd: number, bytes: Buffer, position: number): Promise<number> {
  let done = 0;
  while (done < bytes.length) {
    const got = await new Promise<number>((resolve, reject) =>
      read(fd, bytes, done, bytes.length - done, position + done, (error, n) => (error ? reject(error) : resolve(n))),
    );
    if (got === 0) break;
    done += got;
  }
  return done;
}

function describeWriteError(error: NodeJS.ErrnoException, file: string): Error {
  const code = error.code ?? 'EIO';
  const why =
    code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
      ? 'the disk is full (or the file too large)'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'the folder became read-only'
        : 'the disk reported an error';
  return Object.assign(new Error(`could not save to ${file}: ${why} (${code})`), { code: 'STORE_WRITE_FAILED', cause: error });
}

function syncDirectory(dir: string): void {
  // a rename or a new file is durable once its directory is: not every platform lets a directory be fsync'd
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    /* Windows: directories cannot be opened for fsync */
  }
}

async function syncDirectoryAsync(dir: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    /* Windows: directories cannot be opened for fsync */
  } finally {
    await handle?.close().catch(() => {});
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
