// The store seam on Redis, for a cluster of nodes (REDIS_URL). Records are plain strings under "hs:" + key.
// Every write of a room or session record is fenced: a Lua script sets the value only if the thing's lease
// key still holds this node's id, in one atomic step inside Redis. A node that lost its lease (it was too slow,
// or cut off from Redis while another node took over) can therefore never overwrite the new owner's state:
// its write fails like a failing disk does (code STORE_WRITE_FAILED), the room rolls back and answers NOT_SAVED.
//
// Durability is Redis's: with `appendonly yes` and `appendfsync always` Redis writes and fsyncs its append-only
// file before it replies, so a put that resolved survives a crash of Redis too (docs/deploy.md).
import type { Redis } from 'ioredis';
import type { StateStore, StoreStats } from '../store/stateStore.ts';

export const KEY_PREFIX = 'hs:';

const FENCED_SET = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[2], ARGV[2]) return 1 end return 0`;
const FENCED_DEL = `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[2]) return 1 end return 0`;

/** The lease key that must hold this node's id for a write of `key` to be allowed; null = this node holds none. */
export type FenceOf = (key: string) => string | null;

export class StoreWriteError extends Error {
  readonly code = 'STORE_WRITE_FAILED';
  constructor(
    message: string,
    /** true when the write was refused because another node owns the record now */
    readonly leaseLost = false,
  ) {
    super(message);
    this.name = 'StoreWriteError';
  }
}

export class RedisStateStore implements StateStore {
  readonly kind = 'redis';
  private commits = 0;
  private failed = 0;
  private refusedByFence = 0;
  private syncMs = 0;
  /** told when a write was refused because the lease is gone: the cluster stops running that thing here */
  onLeaseLost: (key: string) => void = () => {};

  constructor(
    private readonly redis: Redis,
    private readonly nodeId: string,
    private readonly fenceOf: FenceOf,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.get(KEY_PREFIX + key)) ?? undefined;
  }

  put(key: string, value: string): Promise<void> {
    return this.write(key, FENCED_SET, value);
  }

  delete(key: string): Promise<void> {
    return this.write(key, FENCED_DEL, '');
  }

  private async write(key: string, script: string, value: string): Promise<void> {
    const lease = this.fenceOf(key);
    if (!lease) {
      this.refusedByFence += 1;
      this.onLeaseLost(key);
      throw new StoreWriteError(`${key}: this node does not hold its lease`, true);
    }
    const started = performance.now();
    let done: unknown;
    try {
      done = await this.redis.eval(script, 2, lease, KEY_PREFIX + key, this.nodeId, value);
    } catch (error) {
      this.failed += 1;
      throw new StoreWriteError(`${key}: Redis did not take the write (${(error as Error).message})`);
    } finally {
      this.syncMs += performance.now() - started;
    }
    if (done !== 1) {
      this.refusedByFence += 1;
      this.onLeaseLost(key);
      throw new StoreWriteError(`${key}: another node holds its lease now`, true);
    }
    this.commits += 1;
  }

  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.redis.scan(cursor, 'MATCH', `${KEY_PREFIX}${prefix}*`, 'COUNT', 1000);
      cursor = next;
      for (const key of batch) found.push(key.slice(KEY_PREFIX.length));
    } while (cursor !== '0');
    return found;
  }

  /** The connection belongs to the cluster, which closes it after the last write. */
  async close(): Promise<void> {}

  stats(): StoreStats {
    return {
      kind: this.kind,
      keys: -1,
      commits: this.commits,
      entries: this.commits,
      syncMs: Math.round(this.syncMs),
      failedCommits: this.failed,
      refusedByFence: this.refusedByFence,
    };
  }
}
