// One node of bench:cluster's yardstick: the bare socket.io relay of bench-relay.ts on an ephemeral port of
// 127.0.0.1, on socket.io's Redis streams adapter if REDIS_URL is set (as a game node is), on its own if not.
// Built with esbuild and run with plain Node, as the game's nodes are. Prints PORT=… when it listens.
import { startRelay } from './bench-relay.ts';

const relay = await startRelay({ redisUrl: process.env.REDIS_URL || undefined });
console.log(`PORT=${relay.port}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void relay.close().then(() => process.exit(0));
  });
}
