// Shutting down: /healthz says so (503) from the moment close() begins, so a load balancer stops sending.
import { describe, expect, it } from 'vitest';
import { MemoryStateStore } from '../../server/index.ts';
import { call, connect, testServer } from './helpers.ts';

/** A store whose close() (the last flush) waits until the test lets it go: the server's close() is held half-way. */
class HeldStore extends MemoryStateStore {
  release: () => void = () => {};
  private readonly gate = new Promise<void>((resolve) => {
    this.release = resolve;
  });
  held = false;
  override async close(): Promise<void> {
    this.held = true;
    await this.gate;
    return super.close();
  }
}

describe('shutdown', () => {
  it('answers /healthz 503 { ok: false, shuttingDown: true } once close() has begun', async () => {
    const store = new HeldStore();
    const server = await testServer({ store });
    const before = await fetch(`${server.url}/healthz`);
    expect(before.status).toBe(200);
    expect(await before.json()).toMatchObject({ ok: true });
    const a = await connect(server.url);
    expect((await call(a, 'room:create', { mode: 'duel', nickname: 'Ada' })).ok).toBe(true);
    const closing = server.close();
    const deadline = Date.now() + 3000;
    while (!store.held && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    expect(store.held).toBe(true);
    const during = await fetch(`${server.url}/healthz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ ok: false, shuttingDown: true });
    store.release();
    await closing;
    a.socket.close();
  });
});
