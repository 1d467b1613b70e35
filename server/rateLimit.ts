// Token buckets: one per socket for events, one per remote address for joins and creates.
import type { BucketConfig } from './config.ts';

export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly config: BucketConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = config.capacity;
    this.last = now();
  }

  /** Take `cost` tokens if there are enough; false = over the limit (nothing is taken). */
  take(cost = 1): boolean {
    this.refill();
    if (this.tokens < cost) return false;
    this.tokens -= cost;
    return true;
  }

  /** Take `cost` tokens even if it drives the bucket below zero (a penalty). */
  charge(cost: number): void {
    this.refill();
    this.tokens = Math.max(-this.config.capacity, this.tokens - cost);
  }

  get full(): boolean {
    this.refill();
    return this.tokens >= this.config.capacity;
  }

  private refill(): void {
    const now = this.now();
    const elapsed = (now - this.last) / 1000;
    this.last = now;
    if (elapsed > 0) this.tokens = Math.min(this.config.capacity, this.tokens + elapsed * this.config.refillPerSecond);
  }
}

/** Buckets by key (a remote address), forgetting full ones so the map does not grow without bound. */
export class KeyedLimiter {
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    private readonly config: BucketConfig,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string, cost = 1): boolean {
    return this.bucket(key).take(cost);
  }

  charge(key: string, cost: number): void {
    this.bucket(key).charge(cost);
  }

  /** Drop buckets that have refilled completely: they hold no information. */
  sweep(): void {
    for (const [key, bucket] of this.buckets) if (bucket.full) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }

  private bucket(key: string): TokenBucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = new TokenBucket(this.config, this.now);
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}
