// The server's garbage collector, tuned for what a game server allocates: every move makes a new game state
// that lives until the room's next move (about half a second at a classroom's pace) and a lot of short-lived
// garbage (views, JSON, socket buffers). Measured by `npm run bench:server` (1,000 rooms + 200 spectators at a
// human pace, server on one core, runs alternated):
//
// - Young generation. V8 starts it small and grows it to ~16 MB here, so it fills every ~150 ms, before most
//   game states have been replaced: each scavenge copies them, then promotes them to the old generation.
//   Fixed at 64 MB (two semi-spaces: up to ~128 MB more resident memory under load) it fills every ~0.7 s
//   and most states are dead by then: GC time per 15 s 577–649 ms → 266–296 ms, CPU per card 174–202 µs →
//   154–180 µs; pauses are fewer and longer (longest 18–24 ms instead of 11–14), p99 round-trip unchanged.
//   The price is at twice that load (2,000 rooms): the young generation then fills before the states die,
//   each scavenge copies them all and the longest pauses reach 60–80 ms (28–47 ms at 16 MB), for about the
//   same GC time in all. A classroom is far below either load; there it costs only memory.
// - GC threads. V8's GC helper threads (parallel scavenges, concurrent marking) can only take turns with the
//   main thread where the server may use one core: the main thread then stalls for a whole scheduler time
//   slice in the middle of answering cards (card round-trip p99 18–28 ms with them, 10–11 ms without, for the
//   same CPU). So on one core the server runs with --single-threaded-gc; with more cores the helpers help.

/** Young generation size in MB (each of its two semi-spaces). */
export const SEMI_SPACE_MB = 64;

/** The Node flags the server wants when it may use `cores` cores (os.availableParallelism(): taskset and CPU sets count). */
export function gcFlagsFor(cores: number): string[] {
  const youngGeneration = [`--min-semi-space-size=${SEMI_SPACE_MB}`, `--max-semi-space-size=${SEMI_SPACE_MB}`];
  return cores <= 1 ? [...youngGeneration, '--single-threaded-gc'] : youngGeneration;
}
