// The server's garbage collector, tuned for what a game server allocates: every move makes a new game state
// that lives until the room's next move (about half a second at a classroom's pace), and a lot of short-lived
// garbage (views, JSON, socket buffers: ~35 KB per card). Measured by `npm run bench:server` at a human pace,
// server on one core, runs alternated:
//
// - Young generation. V8 starts it small and grows it to ~16 MB here, so it fills every ~150 ms, before most
//   game states have been replaced: each scavenge copies them, then promotes them to the old generation, and
//   every room's state is copied twice. Big enough to fill more slowly than the rooms move, most states are
//   dead by the time it is collected. Per 15 s at 1,000 rooms + 200 spectators: GC 577–649 ms at 16 MB,
//   224–271 ms at 64 MB, 156–196 ms at 128 MB. At 2,000 rooms + 400 spectators, where a 64 MB young generation
//   fills every ~330 ms: GC 1,094–1,220 ms and card round-trip p99 68–102 ms at 64 MB; 482–662 ms and p99
//   27–37 ms at 128 MB. The price is memory: up to ~2 × 128 MB more resident under load (RSS ~400 MB at
//   1,000 rooms instead of ~300), and fewer, longer pauses (longest 33–54 ms at 1,000 rooms, p99 unchanged).
//   GC_YOUNG_MB sets the size (each of its two semi-spaces, in MB) for a small machine; 0 leaves it to V8.
// - GC threads. V8's GC helper threads (parallel scavenges, concurrent marking) can only take turns with the
//   main thread where the server may use one core: the main thread then stalls for a whole scheduler time
//   slice in the middle of answering cards (card round-trip p99 18–28 ms with them, 10–11 ms without, for the
//   same CPU). So on one core the server runs with --single-threaded-gc; with more cores the helpers help.

/** Young generation size in MB (each of its two semi-spaces), unless GC_YOUNG_MB says otherwise. */
export const DEFAULT_YOUNG_MB = 128;

/**
 * The Node flags the server wants when it may use `cores` cores (os.availableParallelism(): taskset and CPU
 * sets count), with a young generation of `youngMb` MB (0: V8's own sizing).
 */
export function gcFlagsFor(cores: number, youngMb: number = DEFAULT_YOUNG_MB): string[] {
  const youngGeneration = youngMb > 0 ? [`--min-semi-space-size=${youngMb}`, `--max-semi-space-size=${youngMb}`] : [];
  return cores <= 1 ? [...youngGeneration, '--single-threaded-gc'] : youngGeneration;
}

/** The largest young generation GC_YOUNG_MB may ask for (V8 takes larger ones, and the memory with them). */
export const MAX_YOUNG_MB = 1024;

/** GC_YOUNG_MB from the environment: a whole number of MB (at most MAX_YOUNG_MB), or the default when unset or not one. */
export function youngMbFrom(env: NodeJS.ProcessEnv): number {
  const value = env.GC_YOUNG_MB;
  if (value === undefined || !/^\d+$/.test(value.trim())) return DEFAULT_YOUNG_MB;
  return Math.min(Number(value), MAX_YOUNG_MB);
}
