// Every knob of the server in one place, read from the environment once. startServer() takes the same
// fields as options, so tests and the benchmark can shorten the clocks without touching the environment.

export interface BucketConfig {
  /** tokens the bucket holds when full: the largest burst allowed */
  capacity: number;
  /** tokens added per second */
  refillPerSecond: number;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** allowed Origin headers for the socket; empty = any origin (the client is served from the same origin) */
  origins: string[];
  /** how long a disconnected human keeps its seat, in ms */
  graceMs: number;
  /** a room with no connected member and no activity for this long is removed */
  idleMs: number;
  /** how often idle rooms are looked for */
  sweepMs: number;
  /** a bot waits a random time in this range before each card, in ms */
  botDelayMs: [number, number];
  /** multiplies the game's board pace for timers (TIMER_DELAYS_MS, and the RTO as it doubles); tests use a small factor */
  timerScale: number;
  /** events per socket */
  eventLimit: BucketConfig;
  /** room:create and room:join per remote address (a failed join costs more) */
  joinLimit: BucketConfig;
  /** new socket connections per remote address (a classroom behind one NAT shares one address) */
  connectLimit: BucketConfig;
  /** most live rooms (room:create is refused with SERVER_FULL beyond it; class pairs are bounded by maxSessions) */
  maxRooms: number;
  /** most live class sessions (class:create is refused with SERVER_FULL beyond it) */
  maxSessions: number;
  /** trust X-Forwarded-For for the per-address limit (behind a reverse proxy) */
  trustProxy: boolean;
  /** where the built client is; null = serve no static files */
  clientDir: string | null;
  logLevel: string;
  /** the address players reach the server at, for the join link in QR codes; null = the Host the browser used */
  publicUrl: string | null;
  /** where rooms and sessions are kept: 'file' (a journal in dataDir: survives a crash) or 'memory' (tests) */
  storeKind: 'file' | 'memory';
  /** the folder of the data file (created if missing) */
  dataDir: string;
  /** the data file is compacted once it is this many MB and this many times its live records (JOURNAL_COMPACT_MB, _RATIO) */
  journalCompact: { minMb: number; ratio: number };
  /** redis://HOST:PORT: this server is one node of a cluster that keeps its state in that Redis; null = one process */
  redisUrl: string | null;
  /** this node's name in the cluster (logs, /healthz, lease values); a random one if unset */
  nodeId: string | null;
  /** how long a node's hold on a room or session lasts without renewal (a dead node's rooms move after this) */
  leaseMs: number;
  /** how long a node waits for the owner of a room to answer a forwarded request */
  forwardTimeoutMs: number;
  /**
   * after a take-over: how long the first look-up for the members on every node waits for all nodes to
   * answer (each later try waits twice as long as the one before, up to 8 times this)
   */
  memberLookupMs: number;
}

function num(value: string | undefined, fallback: number): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

export function defaultLogLevel(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LOG_LEVEL) return env.LOG_LEVEL;
  // quiet under test unless asked
  return env.VITEST || env.NODE_ENV === 'test' ? 'silent' : 'info';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const botMin = num(env.BOT_DELAY_MIN_MS, 500);
  const botMax = Math.max(botMin, num(env.BOT_DELAY_MAX_MS, 1200));
  return {
    port: num(env.PORT, 3000),
    host: env.HOST ?? '0.0.0.0',
    origins: (env.ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    graceMs: num(env.GRACE_MS, 60_000),
    idleMs: num(env.IDLE_MS, 30 * 60_000),
    sweepMs: num(env.SWEEP_MS, 30_000),
    botDelayMs: [botMin, botMax],
    timerScale: num(env.TIMER_SCALE, 1),
    eventLimit: { capacity: num(env.EVENT_BURST, 30), refillPerSecond: num(env.EVENT_RATE, 15) },
    joinLimit: { capacity: num(env.JOIN_BURST, 60), refillPerSecond: num(env.JOIN_RATE, 1) },
    connectLimit: { capacity: num(env.CONNECT_BURST, 400), refillPerSecond: num(env.CONNECT_RATE, 10) },
    maxRooms: num(env.MAX_ROOMS, 20_000),
    maxSessions: num(env.MAX_SESSIONS, 2_000),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    clientDir: env.CLIENT_DIR ?? 'dist/client',
    logLevel: defaultLogLevel(env),
    publicUrl: env.PUBLIC_URL?.trim() || null,
    storeKind: env.STORE === 'memory' ? 'memory' : 'file',
    dataDir: env.DATA_DIR?.trim() || 'data',
    journalCompact: { minMb: Math.max(0, num(env.JOURNAL_COMPACT_MB, 16)), ratio: Math.max(1.1, num(env.JOURNAL_COMPACT_RATIO, 4)) },
    redisUrl: env.REDIS_URL?.trim() || null,
    nodeId: env.NODE_ID?.trim() || null,
    // at most 10 s: the bound on how long a dead node's rooms may stand still
    leaseMs: Math.min(10_000, Math.max(1000, num(env.LEASE_MS, 6000))),
    forwardTimeoutMs: Math.max(500, num(env.FORWARD_TIMEOUT_MS, 5000)),
    memberLookupMs: Math.min(30_000, Math.max(1, num(env.MEMBER_LOOKUP_MS, 3000))),
  };
}
