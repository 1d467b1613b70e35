// The store seam: where rooms and class sessions keep their records, as JSON text by key. A process holds
// rooms and sessions in memory only as a cache of what is here; what an answer reports as done is here
// first. Implementations: JournalStore (the embedded default, a file under DATA_DIR), MemoryStateStore
// (STORE=memory: tests and benchmarks that want no disk), and a shared store for several nodes.

export interface StateStore {
  readonly kind: string;
  /** the newest value committed under `key` */
  get(key: string): Promise<string | undefined>;
  /** resolves once the value is durable (it survives a crash of this process from then on) */
  put(key: string, value: string): Promise<void>;
  /** resolves once the deletion is durable */
  delete(key: string): Promise<void>;
  /** every key that starts with `prefix` */
  keys(prefix: string): Promise<string[]>;
  /** waits for what is queued, then lets go of the store (files, locks, connections) */
  close(): Promise<void>;
  stats(): StoreStats;
}

export interface StoreStats {
  kind: string;
  keys: number;
  /** commits made and entries in them (a commit holds the writes of many rooms) */
  commits?: number;
  entries?: number;
  maxBatch?: number;
  /** time spent writing and syncing, summed over commits */
  syncMs?: number;
  failedCommits?: number;
  [more: string]: unknown;
}

/** The store cannot be opened as it is: the message names the file and says what to do. Never start empty instead. */
export class StoreOpenError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Cannot use the data file ${file}: ${reason}`);
    this.name = 'StoreOpenError';
  }
}

/** Keys: one namespace per kind of record. */
export const roomKey = (code: string) => `room:${code}`;
export const sessionKey = (code: string) => `session:${code}`;
export const ROOM_PREFIX = 'room:';
export const SESSION_PREFIX = 'session:';

/** Values in a Map, as the text they were given in: a record changed after its put is not changed here. */
export class MemoryStateStore implements StateStore {
  readonly kind = 'memory';
  private readonly values = new Map<string, string>();
  private commits = 0;

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }
  async put(key: string, value: string): Promise<void> {
    this.commits += 1;
    this.values.set(key, value);
  }
  async delete(key: string): Promise<void> {
    this.commits += 1;
    this.values.delete(key);
  }
  async keys(prefix: string): Promise<string[]> {
    return [...this.values.keys()].filter((key) => key.startsWith(prefix));
  }
  async close(): Promise<void> {}
  stats(): StoreStats {
    return { kind: this.kind, keys: this.values.size, commits: this.commits, entries: this.commits };
  }
}
