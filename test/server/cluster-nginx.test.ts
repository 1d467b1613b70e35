// The nginx configuration of docs/deploy.md, as written there, in front of two nodes on one Redis: nginx
// (Debian's nginx-light) started here on a free port with its pid and temp files in a folder of its own.
// Websocket-only clients reach both nodes round-robin with no stickiness and play a duel through it; a
// long-polling client does not get through (why the docs say websocket, or sticky sessions). Skipped, saying
// so, where redis-server or nginx is not installed (CI installs both: .ci/run).
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { Seat } from '../../shared/game/types.ts';
import { call, closeAll, connect, playToEnd, until, type Player } from './helpers.ts';
import { health, installed, startNode, startRedis, stopAll, tempDir } from './clusterProcess.ts';
import { freePort } from './serverProcess.ts';

const NGINX = installed('nginx') ? 'nginx' : existsSync('/usr/sbin/nginx') ? '/usr/sbin/nginx' : null;
const ready = installed('redis-server') && NGINX !== null;
if (!ready) console.warn('nginx cluster test skipped: it needs redis-server and nginx (apt-get install redis-server nginx-light)');

/** The ```nginx block of docs/deploy.md, with this test's ports, and its files in `dir`. */
function configFromDocs(dir: string, port: number, nodes: number[]): string {
  const doc = readFileSync('docs/deploy.md', 'utf8');
  const block = /```nginx\n([\s\S]*?)```/.exec(doc)?.[1];
  if (!block) throw new Error('docs/deploy.md has no ```nginx block');
  const servers = block.match(/server 127\.0\.0\.1:\d+/g) ?? [];
  expect(servers).toHaveLength(nodes.length);
  let http = block.replace('listen 80;', `listen 127.0.0.1:${port};`);
  servers.forEach((line, i) => (http = http.replace(line, `server 127.0.0.1:${nodes[i]}`)));
  // where a packaged nginx keeps its pid and temp files, in this test's folder instead
  for (const temp of ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(path.join(dir, temp), { recursive: true });
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${path.join(dir, t)};`).join('\n');
  http = http.replace('http {', `http {\n${temps}`);
  return `daemon off;\nworker_processes 1;\npid ${path.join(dir, 'nginx.pid')};\nerror_log ${path.join(dir, 'error.log')};\nevents { worker_connections 1024; }\n${http}`;
}

const sockets: Player[] = [];
let nginx: ReturnType<typeof spawn> | null = null;
afterEach(async () => {
  closeAll(...sockets.splice(0));
  if (nginx && nginx.exitCode === null) {
    const exited = new Promise((resolve) => nginx!.once('exit', resolve));
    nginx.kill('SIGTERM'); // fast shutdown: it does not wait for open websockets
    await exited;
  }
  nginx = null;
  await stopAll();
});

describe.skipIf(!ready)('nginx in front of the cluster (docs/deploy.md)', () => {
  it('spreads websocket clients over both nodes with no stickiness, a duel plays through it, long-polling does not get through', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1', { TRUST_PROXY: '1' }), startNode(redis.url, 'n2', { TRUST_PROXY: '1' })]);
    const dir = tempDir('handshake-nginx-');
    const port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    writeFileSync(conf, configFromDocs(dir, port, [n1.port, n2.port]));
    nginx = spawn(NGINX!, ['-p', dir, '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    nginx.stderr!.on('data', (chunk) => (out += chunk));
    const front = { url: `http://127.0.0.1:${port}` };
    await until(() => existsSync(path.join(dir, 'nginx.pid')), `nginx starts (${out})`, 10_000);

    // round-robin: both nodes answer through the one address
    const seen = new Set<unknown>();
    for (let i = 0; i < 6; i += 1) {
      try {
        seen.add((await health(front)).node);
      } catch {
        /* not listening yet */
      }
    }
    expect([...seen].sort()).toEqual(['n1', 'n2']);

    const a = await connect(front.url);
    const b = await connect(front.url);
    sockets.push(a, b);
    const created = await call(a, 'room:create', { mode: 'duel', nickname: 'Ada' });
    expect(created.ok).toBe(true);
    const joined = await call(b, 'room:join', { code: created.room.code, nickname: 'Bo' });
    expect(joined.ok).toBe(true);
    await until(() => a.version >= 1 && b.version >= 1, 'both see the game start');
    const seats = (created.seat === 'A' ? { A: a, B: b } : { A: b, B: a }) as Record<Seat, Player>;
    expect(await playToEnd(created.room.code, seats, 20_000)).toBeGreaterThan(4);
    await until(() => b.updates.at(-1)?.room.phase === 'finished' && a.updates.at(-1)?.room.phase === 'finished', 'both see the end');
    // one room, run by one node
    const owned = [await health(n1), await health(n2)].map((h) => h.roomsOwned as number);
    expect(owned.reduce((x, y) => x + y, 0)).toBe(1);

    // long-polling's requests land on both nodes in turn: the node that did not open the session refuses them
    const polling = io(front.url, { transports: ['polling'], forceNew: true, reconnection: false });
    const outcome = await new Promise<string>((resolve) => {
      const timer = setTimeout(() => resolve('no outcome'), 5000);
      polling.on('connect', () => {
        // the connect packet may get through; the next poll then lands on the other node
        polling.on('disconnect', () => {
          clearTimeout(timer);
          resolve('dropped');
        });
      });
      polling.on('connect_error', () => {
        clearTimeout(timer);
        resolve('refused');
      });
    });
    polling.close();
    expect(['refused', 'dropped']).toContain(outcome);
  });
});
