// startServer(): the HTTP app and the socket layer on one port. Tests start it on port 0 (an ephemeral
// port) on 127.0.0.1 with short clocks; server/main.ts (built and run by npm start) starts it on PORT.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig, type ServerConfig } from './config.ts';
import { createHttpApp } from './http.ts';
import { createLogger, type Logger } from './log.ts';
import { attachSockets, type SocketLayer } from './socket.ts';
import { MemoryStore, type GameStore } from './store.ts';

export type { ServerConfig } from './config.ts';
export type { GameStore, RoomRecord } from './store.ts';
export { MemoryStore } from './store.ts';

export interface StartOptions extends Partial<ServerConfig> {
  store?: GameStore;
  logger?: Logger;
}

export interface RunningServer {
  /** http://host:port */
  url: string;
  port: number;
  store: GameStore;
  /** the socket.io server, for a host that measures or extends it (the benchmark times each answer) */
  io: SocketLayer['io'];
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { store = new MemoryStore(), logger: givenLogger, ...overrides } = options;
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  const config: ServerConfig = { ...loadConfig(), ...defined };
  const logger = givenLogger ?? createLogger(config.logLevel);

  const started = Date.now();
  let sockets: ReturnType<typeof attachSockets> | null = null;
  let closing: Promise<void> | null = null;
  let stopping = false;
  const app = createHttpApp({
    clientDir: config.clientDir,
    health: () => ({
      rooms: sockets?.lobby.size ?? 0,
      sessions: sockets?.sessions.size ?? 0,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
    }),
    sessions: (code) => sockets?.sessions.get(code),
    capture: (code) => {
      const record = sockets?.lobby.get(code)?.record;
      return record && { game: record.game, language: record.options.language, startMs: record.createdAt };
    },
    publicUrl: config.publicUrl,
    shuttingDown: () => stopping,
  });
  const httpServer = createServer(app);
  const layer = attachSockets(httpServer, { config, logger, store });
  sockets = layer;

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
    io: layer.io,
    close() {
      stopping = true;
      closing ??= (async () => {
        await layer.close();
        httpServer.closeAllConnections();
        await new Promise<void>((resolve) => httpServer.close(() => resolve()));
        logger.info('closed');
      })();
      return closing;
    },
  };
}
