// V8 collects garbage with the help of threads of its own (parallel scavenges, concurrent marking). Where the
// server may use only one core, those threads can only take turns with the main thread, which then stalls for
// a whole scheduler time slice in the middle of answering cards. Measured by `npm run bench:server` at 1,000
// rooms and 200 spectators with the server on one core: card round-trip p99 18–28 ms with the helper threads,
// 10–11 ms without, for the same CPU. So on one core the server runs with --single-threaded-gc: the same
// collections, all of them on the main thread, in their own short pauses. With more cores the helpers help.

/** The Node flags the server wants when it may use `cores` cores (os.availableParallelism(): taskset and CPU sets count). */
export function gcFlagsFor(cores: number): string[] {
  return cores <= 1 ? ['--single-threaded-gc'] : [];
}
