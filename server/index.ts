// startServer(): the HTTP app and the socket layer on one port. Tests start it on port 0 (an ephemeral
// port) on 127.0.0.1 with short clocks; server/main.ts (built and run by npm start) starts it on PORT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type ServerConfig } from './config.ts';
import { createHttpApp } from './http.ts';
import { createLogger, type Logger } from './log.ts';
import { systemClock, type Clock } from './room/clocks.ts';
import { attachSockets, type SocketLayer } from './socket.ts';
import { openStore } from './store/open.ts';
import type { StateStore } from './store/stateStore.ts';
import { Cluster } from './cluster/cluster.ts';

export type { ServerConfig } from './config.ts';
export type { RoomRecord } from './store/records.ts';
export { MemoryStateStore, type StateStore } from './store/stateStore.ts';

export interface StartOptions extends Partial<ServerConfig> {
  /** a store made by the caller (else the configuration's: storeKind, dataDir) */
  store?: StateStore;
  logger?: Logger;
  clock?: Clock;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  store: StateStore;
  /** this node's name in a cluster (REDIS_URL); null for a process on its own */
  nodeId: string | null;
  /** the socket.io server, for a host that measures or extends it (the benchmark times each answer) */
  io: SocketLayer['io'];
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { store: givenStore, logger: givenLogger, clock = systemClock, ...overrides } = options;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const config: ServerConfig = { ...loadConfig(), ...defined };
  // REDIS_URL: this process is one node of a cluster; its state is in Redis, its logs name the node
  const cluster = config.redisUrl && !givenStore ? await Cluster.connect(config, givenLogger ?? createLogger(config.logLevel)) : null;
  const baseLogger = givenLogger ?? createLogger(config.logLevel);
  const logger = cluster ? baseLogger.child({ node: cluster.nodeId }) : baseLogger;
  const store = givenStore ?? cluster?.store ?? openStore(config, logger);

  const started = Date.now();
  let sockets: ReturnType<typeof attachSockets> | null = null;
  let closing: Promise<void> | null = null;
  let stopping = false;
  const app = createHttpApp({
    clientDir: config.clientDir,
    health: () => ({
      rooms: sockets?.lobby.size ?? 0,
      sessions: sockets?.sessions.size ?? 0,
      store: store.kind,
      ...(cluster?.health() ?? {}),
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }),
    results: async (code, hostKey, token) => sockets?.results(code, hostKey, token) ?? 'unknown',
    capture: async (code) => {
      const record = (await sockets?.lobby.get(code))?.record;
      return record && { game: record.game, language: record.options.language, startMs: record.createdAt };
    },
    publicUrl: config.publicUrl,
    shuttingDown: () => stopping,
  });
  const httpServer = createServer(app);
  const layer = attachSockets(httpServer, { config, logger, store, clock, cluster: cluster ?? undefined });
  sockets = layer;
  // everything stored comes back before the first client does: rooms, sessions, their clocks
  const loadStarted = performance.now();
  try {
    const resumed = await layer.resume();
    if (resumed.rooms + resumed.sessions > 0) {
      logger.info({ ...resumed, ms: Math.round(performance.now() - loadStarted), store: store.kind }, 'state loaded');
    }
  } catch (error) {
    await layer.close().catch(() => {});
    await store.close().catch(() => {});
    await cluster?.close().catch(() => {});
    throw error;
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  logger.info({ url }, 'listening');

  return {
    url,
    port,
    store,
    nodeId: cluster?.nodeId ?? null,
    io: layer.io,
    close() {
      stopping = true;
      closing ??= (async () => {
        // a cluster node hands its rooms over first (unloaded, leases released, the others told), then closes its sockets
        cluster?.stop();
        await layer.unload();
        await cluster?.handedOver();
        // every queued commit is written and synced before the process may end
        await store.close();
        await layer.close();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        await cluster?.close();
        logger.info({ store: store.kind, ...('file' in store.stats() ? { file: store.stats().file } : {}) }, 'closed: every acknowledged change is saved');
      })();
      return closing;
    },
  };
}
