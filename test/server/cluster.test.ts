// Several nodes sharing rooms through Redis (issue 11): a real redis-server started here on a free port, real
// server nodes started as `REDIS_URL=… npm start` starts them, real socket.io clients on different nodes.
// Skipped, saying so, where redis-server is not installed (CI installs it: .ci/run).
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Seat } from '../../shared/game/types.ts';
import { Cluster, leaseKey } from '../../server/cluster/cluster.ts';
import { loadConfig } from '../../server/config.ts';
import { createLogger } from '../../server/log.ts';
import { call, closeAll, connect, playToEnd, sleep, until, type Player } from './helpers.ts';
import { lastFeed, lastYou, member, playRound, shadowFromView, type ClassMember, type Seated } from './class-helpers.ts';
import { health, installed, startNode, startRedis, stopAll } from './clusterProcess.ts';
import type { ServerProcess } from './serverProcess.ts';

const haveRedis = installed('redis-server');
if (!haveRedis) console.warn('cluster tests skipped: redis-server is not installed (apt-get install redis-server)');

const sockets: Player[] = [];
async function client(node: { url: string }): Promise<Player> {
  const p = await connect(node.url);
  sockets.push(p);
  return p;
}
afterEach(async () => {
  closeAll(...sockets.splice(0));
  await stopAll();
});
afterAll(stopAll);

/** A duel made on `first` with its second player on `second`; returns both players and their seat tokens. */
async function crossDuel(first: ServerProcess, second: ServerProcess) {
  const a = await client(first);
  const b = await client(second);
  const created = await call(a, 'room:create', { mode: 'duel', nickname: 'Ada' });
  expect(created.ok).toBe(true);
  const code: string = created.room.code;
  const joined = await call(b, 'room:join', { code, nickname: 'Bo' });
  expect(joined.ok).toBe(true);
  const seats = (created.seat === 'A' ? { A: a, B: b } : { A: b, B: a }) as Record<Seat, Player>;
  const tokens = (created.seat === 'A' ? { A: created.seatToken, B: joined.seatToken } : { A: joined.seatToken, B: created.seatToken }) as Record<Seat, string>;
  await until(() => a.version >= 1 && b.version >= 1, 'both players see the game start');
  return { code, a, b, seats, tokens, aSeat: created.seat as Seat, bSeat: joined.seat as Seat };
}

/** Ask for the right card and play it; the answer (ok, or the error). */
async function playRight(p: Player, code: string): Promise<{ ok: boolean; error?: { code: string }; version?: number }> {
  const hint = await call(p, 'hint:ask', { code }, 9000);
  if (!hint.ok || !hint.hint) return { ok: false, error: hint.error ?? { code: 'NO_CARD' } };
  return call(p, 'card:play', { code, version: p.version, card: hint.hint }, 9000);
}

/** Play right cards (either seat, whoever owes one) until `count` were acknowledged; their versions. */
async function playSome(code: string, seats: Record<Seat, Player>, count: number): Promise<number[]> {
  const acked: number[] = [];
  for (let round = 0; acked.length < count && round < 200; round += 1) {
    for (const p of Object.values(seats)) {
      if (acked.length >= count) break;
      const reply = await playRight(p, code);
      if (reply.ok) acked.push(reply.version!);
    }
  }
  expect(acked.length).toBe(count);
  return acked;
}

describe.skipIf(!haveRedis)('a cluster of nodes on one Redis', () => {
  it('plays a duel whose two players sit on different nodes to its end; /healthz names each node and what it owns', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const { code, a, b, seats } = await crossDuel(n1, n2);
    // the node the room was made on runs it; the other forwards to it
    expect(await health(n1)).toMatchObject({ ok: true, node: 'n1', redis: 'reachable', roomsOwned: 1, store: 'redis' });
    expect(await health(n2)).toMatchObject({ ok: true, node: 'n2', redis: 'reachable', roomsOwned: 0 });
    const cards = await playToEnd(code, seats, 20_000);
    expect(cards).toBeGreaterThan(4);
    // every move reached both players, in order, whichever node they are on
    await until(() => a.updates.at(-1)?.room.phase === 'finished' && b.updates.at(-1)?.room.phase === 'finished', 'both see the end');
    expect(a.gaps + b.gaps).toBe(0);
    expect(a.held!.timeline).toEqual(b.held!.timeline);
    expect(n1.output()).toMatch(/"node":"n1"/);
  });

  it('SIGKILL of the owning node mid-game: the other node takes the room within the lease time, with every acknowledged card, and the game plays on', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const { code, b, seats, tokens, aSeat, bSeat } = await crossDuel(n1, n2);
    const acked = await playSome(code, seats, 3);
    const timelineBefore = b.held!.timeline.length;

    await n1.kill('SIGKILL');
    const killedAt = Date.now();
    // the player of the dead node comes back through the survivor with its seat token
    const a2 = await client(n2);
    const rejoined = await call(a2, 'room:join', { code, seatToken: tokens[aSeat] }, 9000);
    expect(rejoined.ok).toBe(true);
    expect(rejoined.seat).toBe(aSeat);
    const movedAfter = Date.now() - killedAt;
    // lease 2 s + a scan or a request: well within the 10 s
    expect(movedAfter).toBeLessThan(6000);
    // every acknowledged card is there
    expect(rejoined.room.version).toBeGreaterThanOrEqual(Math.max(...acked));
    expect(rejoined.room.game.timeline.length).toBeGreaterThanOrEqual(timelineBefore);
    expect(await health(n2)).toMatchObject({ node: 'n2', roomsOwned: 1 });

    // the player who never left (on the survivor) is still seated there: no rejoin needed to play on
    const resync = await call(b, 'room:resync', { code });
    expect(resync.ok).toBe(true);
    expect(resync.seat).toBe(bSeat);
    const both = { [aSeat]: a2, [bSeat]: b } as Record<Seat, Player>;
    a2.version = rejoined.room.version;
    b.version = resync.room.version;
    b.held = { version: resync.room.version, timeline: resync.room.game.timeline };
    await playToEnd(code, both, 20_000);
    await until(() => b.updates.at(-1)?.room.phase === 'finished', 'the survivor sends the end to the player who stayed');
  });

  it('a forwarded card whose owner stops answering gets NOT_ANSWERED, and is not counted as played: after the take-over it is played again', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const { code, b, seats } = await crossDuel(n1, n2);
    await playSome(code, seats, 2);
    // b is on n2, the room on n1. Find a seat with a card to play, then freeze the owner before b plays it.
    const seatOfB = (Object.entries(seats) as [Seat, Player][]).find(([, p]) => p === b)![0];
    const other = seatOfB === 'A' ? seats.B : seats.A;
    let hint = await call(b, 'hint:ask', { code });
    for (let i = 0; i < 20 && !hint.hint; i += 1) {
      await playRight(other, code);
      hint = await call(b, 'hint:ask', { code });
    }
    expect(hint.hint).toBeTruthy();
    const before = b.version;
    n1.child.kill('SIGSTOP');
    const reply = await call(b, 'card:play', { code, version: before, card: hint.hint }, 9000);
    expect(reply.ok).toBe(false);
    expect(reply.error.code).toBe('NOT_ANSWERED');
    expect(reply.error.message.zh).toBeTruthy();
    // the owner never ran it: it dies now, and the survivor has the room as it was
    await n1.kill('SIGKILL');
    const resync = await call(b, 'room:resync', { code }, 9000);
    expect(resync.ok).toBe(true);
    expect(resync.room.version).toBe(before);
    // the player plays it again, and now it counts
    const again = await call(b, 'card:play', { code, version: before, card: hint.hint }, 9000);
    expect(again.ok).toBe(true);
    expect(again.version).toBe(before + 1);
  });

  it('SIGTERM of the owning node during play hands the room over at once: the player who stayed plays on, nothing acknowledged is lost', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const { code, b, seats, tokens, aSeat, bSeat } = await crossDuel(n1, n2);
    const acked = await playSome(code, seats, 3);

    const termAt = Date.now();
    const stopped = n1.kill('SIGTERM');
    // the player on the other node keeps asking while the owner stops: every answer is an answer
    const answers: string[] = [];
    let takenAfter = -1;
    while (Date.now() - termAt < 8000) {
      const reply = await call(b, 'room:resync', { code }, 9000);
      answers.push(reply.ok ? 'ok' : reply.error.code);
      if (reply.ok && (await health(n2)).roomsOwned === 1) {
        takenAfter = Date.now() - termAt;
        break;
      }
      await sleep(50);
    }
    expect((await stopped).code).toBe(0);
    expect(n1.output()).toContain('every acknowledged change is saved');
    // handed over, not left to expire: sooner than the 2 s lease
    expect(takenAfter).toBeGreaterThanOrEqual(0);
    expect(takenAfter).toBeLessThan(2000);
    // a resync never fails for good while the room moves: at worst it is told to ask again
    expect(answers.filter((a) => a !== 'ok' && a !== 'NOT_ANSWERED')).toEqual([]);
    const resync = await call(b, 'room:resync', { code });
    expect(resync.seat).toBe(bSeat);
    expect(resync.room.version).toBeGreaterThanOrEqual(Math.max(...acked));

    const a2 = await client(n2);
    const rejoined = await call(a2, 'room:join', { code, seatToken: tokens[aSeat] }, 9000);
    expect(rejoined.ok).toBe(true);
    a2.version = rejoined.room.version;
    b.version = rejoined.room.version;
    b.held = { version: rejoined.room.version, timeline: rejoined.room.game.timeline };
    await playToEnd(code, { [aSeat]: a2, [bSeat]: b } as Record<Seat, Player>, 20_000);
  });

  it('Redis restarted under the cluster: no move is taken while it is away (NOT_SAVED, never a false ok), then play goes on with every acknowledged card', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const { code, a, b, seats } = await crossDuel(n1, n2);
    const acked = await playSome(code, seats, 3);
    const lastAcked = Math.max(...acked);

    await redis.stop('SIGKILL');
    // the owner's player and the forwarded player both try while Redis is away
    for (const p of [a, b]) {
      const reply = await call(p, 'card:play', { code, version: p.version, card: { kind: 'call', call: 'abort' } }, 9000);
      expect(reply.ok).toBe(false);
      expect(['NOT_SAVED', 'NOT_ANSWERED']).toContain(reply.error.code);
    }
    expect((await health(n1)).redis).toBe('unreachable');
    // away longer than a lease: the owner stops the room (it may no longer be its own when Redis is back)
    await sleep(2500);
    await startRedis({ port: redis.port, dir: redis.dir });

    // back: a node takes the room again from Redis, with every acknowledged card and none of the refused ones
    let resync: { ok: boolean; room?: { version: number }; error?: { code: string } } = { ok: false };
    const deadline = Date.now() + 10_000;
    while (!resync.ok && Date.now() < deadline) {
      resync = await call(b, 'room:resync', { code }, 9000);
      if (!resync.ok) await sleep(200);
    }
    expect(resync.ok).toBe(true);
    expect(resync.room!.version).toBe(lastAcked);
    const both = seats;
    for (const p of Object.values(both)) {
      const again = await call(p, 'room:resync', { code }, 9000);
      expect(again.ok).toBe(true);
      p.version = again.room.version;
      p.held = { version: again.room.version, timeline: again.room.game.timeline };
    }
    await playToEnd(code, both, 20_000);
    expect((await health(n1)).redis).toBe('reachable');
  });

  it('a class hosted on one node, with its projector and players on the other: the round plays, the feed and assignments reach every node', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const host = await member(n1.url);
    sockets.push(host);
    const created = await call(host, 'class:create', { mode: 'class' });
    expect(created.ok).toBe(true);
    const code: string = created.code;
    const projector = await member(n2.url);
    sockets.push(projector);
    expect(await call(projector, 'class:watch', { code, viewKey: created.viewKey })).toMatchObject({ ok: true });
    const players: ClassMember[] = [];
    for (const [i, name] of ['Ada', 'Bo', 'Cy', 'Dee'].entries()) {
      const p = await member((i % 2 === 0 ? n2 : n1).url);
      sockets.push(p);
      expect(await call(p, 'class:join', { code, nickname: name })).toMatchObject({ ok: true });
      players.push(p);
    }
    await until(() => lastFeed(projector)?.players.length === 4, 'the projector on the other node sees four players');
    expect(await call(host, 'class:start', { code, mission: 'open', timeLimit: 60 })).toMatchObject({ ok: true });
    await until(() => players.every((p) => lastYou(p)?.assignment?.round === 1), 'every player, on either node, gets an assignment');
    const seated: Seated[] = [];
    const shadows = new Map<string, ReturnType<typeof shadowFromView>>();
    for (const p of players) {
      const a = lastYou(p).assignment!;
      const joined = await call(p, 'room:join', { code: a.room, seatToken: a.seatToken });
      expect(joined).toMatchObject({ ok: true, seat: a.seat });
      if (!shadows.has(a.room)) shadows.set(a.room, shadowFromView(joined.room, 'open'));
      seated.push({ player: p, room: a.room, seat: a.seat, shadow: shadows.get(a.room)! });
    }
    await playRound(seated, 30_000);
    await until(() => lastFeed(projector)?.phase === 'results', 'the projector on the other node sees the round end');
    expect(lastFeed(projector).pairs.every((t) => t.finished)).toBe(true);
    // the session and its pairs' rooms are run by the node the class was made on
    expect(await health(n1)).toMatchObject({ sessionsOwned: 1, roomsOwned: 2 });
    expect(await health(n2)).toMatchObject({ sessionsOwned: 0, roomsOwned: 0 });
  });

  it('SIGKILL of the class node mid-round: the survivor takes the session and its pairs, players who stayed play on, the host comes back by its key, the round ends', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const host = await member(n1.url);
    sockets.push(host);
    const created = await call(host, 'class:create', { mode: 'class' });
    const code: string = created.code;
    // every player on the node that will survive; the session (and its pairs) on the one that will not
    const players: ClassMember[] = [];
    for (const name of ['Ada', 'Bo', 'Cy', 'Dee']) {
      const p = await member(n2.url);
      sockets.push(p);
      expect(await call(p, 'class:join', { code, nickname: name })).toMatchObject({ ok: true });
      players.push(p);
    }
    expect(await call(host, 'class:start', { code, mission: 'open', timeLimit: 120 })).toMatchObject({ ok: true });
    await until(() => players.every((p) => lastYou(p)?.assignment?.round === 1), 'every player gets an assignment');
    const seated: Seated[] = [];
    const shadows = new Map<string, ReturnType<typeof shadowFromView>>();
    for (const p of players) {
      const a = lastYou(p).assignment!;
      const joined = await call(p, 'room:join', { code: a.room, seatToken: a.seatToken });
      if (!shadows.has(a.room)) shadows.set(a.room, shadowFromView(joined.room, 'open'));
      seated.push({ player: p, room: a.room, seat: a.seat, shadow: shadows.get(a.room)! });
    }
    // a few cards in, the class's node dies
    let killed = false;
    await playRound(seated, 30_000, async (_s, cards) => {
      if (killed || cards < 2) return;
      killed = true;
      await n1.kill('SIGKILL');
    });
    expect(killed).toBe(true);
    // the host comes back through the survivor by its key; the session there knows the round's results
    const host2 = await member(n2.url);
    sockets.push(host2);
    const back = await call(host2, 'class:host', { code, hostKey: created.hostKey }, 9000);
    expect(back.ok).toBe(true);
    // the feed in the host's answer, or a later one if the round ended after it
    const feed = () => lastFeed(host2) ?? back.feed;
    await until(() => feed().phase === 'results', 'the round ends on the survivor', 15_000);
    expect(feed().pairs.every((t: { finished: boolean; outcome: string | null }) => t.finished && t.outcome === 'completed')).toBe(true);
    expect(await health(n2)).toMatchObject({ sessionsOwned: 1, roomsOwned: 2 });
  });

  it('SIGKILL of the class node between rounds: the node that takes the session over finds its host, projector and players on the other nodes, and the next round pairs every connected player without anyone rejoining', async () => {
    const redis = await startRedis();
    const [n1, n2, n3] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2'), startNode(redis.url, 'n3')]);
    // the class is made on n1 (it runs there); its host then takes it from n2 with the host key
    const maker = await member(n1.url);
    sockets.push(maker);
    const created = await call(maker, 'class:create', { mode: 'class' });
    expect(created.ok).toBe(true);
    const code: string = created.code;
    const host = await member(n2.url);
    sockets.push(host);
    expect(await call(host, 'class:host', { code, hostKey: created.hostKey })).toMatchObject({ ok: true });
    const projector = await member(n3.url);
    sockets.push(projector);
    expect(await call(projector, 'class:watch', { code, viewKey: created.viewKey })).toMatchObject({ ok: true });
    // four players on the nodes that will survive, one on the class's node (it goes down with it)
    const survivors: ClassMember[] = [];
    const named = new Map<ClassMember, string>();
    for (const [name, node] of [['Ada', n2], ['Bo', n3], ['Cy', n2], ['Dee', n3], ['Eve', n1]] as const) {
      const p = await member(node.url);
      sockets.push(p);
      const joined = await call(p, 'class:join', { code, nickname: name });
      expect(joined).toMatchObject({ ok: true });
      named.set(p, joined.you.playerId);
      if (node !== n1) survivors.push(p);
    }
    const everyone = [...named.keys()];

    /** Every player given an assignment in `round` joins its room; then the round is played to its end. */
    const play = async (round: number, players: ClassMember[]) => {
      await until(() => players.every((p) => lastYou(p)?.assignment?.round === round), `every connected player gets an assignment in round ${round}`, 20_000);
      const seated: Seated[] = [];
      const shadows = new Map<string, ReturnType<typeof shadowFromView>>();
      for (const p of players) {
        const a = lastYou(p).assignment!;
        const joined = await call(p, 'room:join', { code: a.room, seatToken: a.seatToken }, 9000);
        expect(joined).toMatchObject({ ok: true, seat: a.seat });
        if (!shadows.has(a.room)) shadows.set(a.room, shadowFromView(joined.room, 'open'));
        seated.push({ player: p, room: a.room, seat: a.seat, shadow: shadows.get(a.room)! });
      }
      await playRound(seated, 60_000);
    };

    expect(await call(host, 'class:start', { code, mission: 'open', timeLimit: 120 })).toMatchObject({ ok: true });
    await play(1, everyone);
    await until(() => lastFeed(projector)?.phase === 'results' && lastFeed(projector)?.round === 1, 'the projector sees round 1 end');

    await n1.kill('SIGKILL');
    // the projector is told by the new node who is there: the four players on the surviving nodes, found
    // where they are connected (nobody did anything), and not the one whose node died
    const connected = () => new Set((lastFeed(projector)?.players ?? []).filter((p) => p.connected).map((p) => p.id));
    const alive = survivors.map((p) => named.get(p)!);
    await until(() => alive.every((id) => connected().has(id)) && connected().size === alive.length && lastFeed(projector).round === 1, 'the projector gets the feed of the node that took the session over, with the four players still connected', 20_000);
    const owners = await Promise.all([health(n2), health(n3)]);
    expect(owners.map((h) => h.sessionsOwned)).toContain(1);

    // the host, who never came back, starts the next round; every connected player is paired and told
    const started = await call(host, 'class:start', { code, mission: 'open', timeLimit: 120 }, 9000);
    expect(started).toMatchObject({ ok: true, settings: { round: 2 } });
    await until(() => lastFeed(projector)?.round === 2 && lastFeed(projector)?.phase === 'playing', 'the projector sees round 2 start');
    const paired = lastFeed(projector).pairs.flatMap((pair) => [pair.seats.A.playerId, pair.seats.B.playerId]).filter((id) => id !== null);
    expect(new Set(paired)).toEqual(new Set(alive));
    await play(2, survivors);
    await until(() => lastFeed(projector)?.phase === 'results' && lastFeed(projector)?.round === 2, 'the projector sees round 2 end', 20_000);
    await until(() => lastFeed(host)?.phase === 'results' && lastFeed(host)?.round === 2, 'the host screen sees round 2 end');
    // each player's phone was told its result, on whichever node it is
    await until(() => survivors.every((p) => lastYou(p)?.phase === 'results' && lastYou(p)?.lastRound?.round === 2), 'every player gets the result of round 2');
  }, 120_000);

  it('after a take-over, members whose node answers the look-up too late are still found (the look-up is asked again, waiting longer): nobody rejoins', async () => {
    const redis = await startRedis();
    // the nodes that may take over wait 1 ms for the other nodes' answers: the first look-up cannot succeed
    const slow = { MEMBER_LOOKUP_MS: '1' };
    const [n1, n2, n3] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2', slow), startNode(redis.url, 'n3', slow)]);
    // a duel run by n1 with one player on n2 and one on n3, and a spectator on n3
    const a = await client(n2);
    const b = await client(n3);
    const maker = await client(n1);
    const created = await call(maker, 'room:create', { mode: 'duel', nickname: 'Ada' });
    const code: string = created.room.code;
    // the maker gives its seat to a on n2 by its token (the room stays on n1)
    expect(await call(a, 'room:join', { code, seatToken: created.seatToken })).toMatchObject({ ok: true, seat: created.seat });
    expect(await call(b, 'room:join', { code, nickname: 'Bo' })).toMatchObject({ ok: true });
    const watcher = await client(n3);
    expect(await call(watcher, 'room:join', { code, spectate: true })).toMatchObject({ ok: true, role: 'spectator' });
    // a class run by n1: host on n3, projector on n2, players on n2 and n3
    const classMaker = await member(n1.url);
    sockets.push(classMaker);
    const made = await call(classMaker, 'class:create', { mode: 'class' });
    const session: string = made.code;
    const host = await member(n3.url);
    const projector = await member(n2.url);
    sockets.push(host, projector);
    expect(await call(host, 'class:host', { code: session, hostKey: made.hostKey })).toMatchObject({ ok: true });
    expect(await call(projector, 'class:watch', { code: session, viewKey: made.viewKey })).toMatchObject({ ok: true });
    const players: ClassMember[] = [];
    for (const [name, node] of [['Cy', n2], ['Dee', n3]] as const) {
      const p = await member(node.url);
      sockets.push(p);
      expect(await call(p, 'class:join', { code: session, nickname: name })).toMatchObject({ ok: true });
      players.push(p);
    }
    await until(() => lastFeed(projector)?.players.filter((p) => p.connected).length === 2, 'the projector sees both players');

    await n1.kill('SIGKILL');
    // the room's members on both nodes are seated again without doing anything (a resync only asks)
    const seated = async (p: Player) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const reply = await call(p, 'room:resync', { code }, 9000);
        if (reply.ok) return reply;
        expect(['NOT_SEATED', 'NOT_ANSWERED']).toContain(reply.error.code);
        if (Date.now() > deadline) throw new Error(`still ${reply.error.code} 30 s after the kill`);
        await sleep(100);
      }
    };
    expect(await seated(a)).toMatchObject({ ok: true, seat: created.seat });
    expect(await seated(b)).toMatchObject({ ok: true, role: 'player' });
    expect(await seated(watcher)).toMatchObject({ ok: true, role: 'spectator' });
    // the session's people too: the projector is told both players are connected, and the host starts a round
    const before = projector.feeds.length;
    await until(() => projector.feeds.length > before && lastFeed(projector).players.filter((p) => p.connected).length === 2, 'the projector sees both players connected on the new node', 30_000);
    let started: { ok: boolean; error?: { code: string } } = { ok: false };
    const deadline = Date.now() + 30_000;
    while (!started.ok && Date.now() < deadline) {
      started = await call(host, 'class:start', { code: session, mission: 'open', timeLimit: 60 }, 9000);
      if (!started.ok) {
        expect(['NOT_HOST', 'NOT_ANSWERED']).toContain(started.error!.code);
        await sleep(100);
      }
    }
    expect(started.ok).toBe(true);
    await until(() => players.every((p) => lastYou(p)?.assignment?.round === 1), 'both players get an assignment', 20_000);
    // the first look-up of the node that took over did fail: what found them was a later one
    expect(n2.output() + n3.output()).toContain('members not found yet');
  }, 120_000);

  it('the class QR code and results CSV answer on every node, not only the one that runs the session; a download token is spent once in the whole cluster', async () => {
    const redis = await startRedis();
    const [n1, n2] = await Promise.all([startNode(redis.url, 'n1'), startNode(redis.url, 'n2')]);
    const host = await member(n1.url);
    sockets.push(host);
    const created = await call(host, 'class:create', { mode: 'class' });
    const code: string = created.code;
    const player = await member(n2.url);
    sockets.push(player);
    expect(await call(player, 'class:join', { code, nickname: 'Ada' })).toMatchObject({ ok: true });
    // a round (Ada with a bot) stopped at once: the results have Ada's row
    expect(await call(host, 'class:start', { code, mission: 'open', timeLimit: 60 })).toMatchObject({ ok: true });
    expect(await call(host, 'class:stop', { code })).toMatchObject({ ok: true });
    expect(await health(n2)).toMatchObject({ sessionsOwned: 0 });

    const qr = await fetch(`${n2.url}/c/${code}/qr.svg`);
    expect(qr.status).toBe(200);
    expect(qr.headers.get('content-type')).toContain('image/svg+xml');
    expect(await qr.text()).toContain('<svg');

    const csvAt = (node: { url: string }, init?: RequestInit, query = '') => fetch(`${node.url}/c/${code}/results.csv${query}`, init);
    const byKey = await csvAt(n2, { headers: { 'X-Host-Key': created.hostKey } });
    expect(byKey.status).toBe(200);
    expect(byKey.headers.get('content-type')).toContain('text/csv');
    const text = (await byKey.text()).replace(/^\uFEFF/, '');
    expect(text).toMatch(/^round,nickname/);
    expect(text).toContain('Ada');
    // the same results as on the session's own node
    expect(text).toBe((await (await csvAt(n1, { headers: { 'X-Host-Key': created.hostKey } })).text()).replace(/^\uFEFF/, ''));
    expect((await csvAt(n2, { headers: { 'X-Host-Key': 'x'.repeat(43) } })).status).toBe(403);
    expect((await fetch(`${n2.url}/c/ZZZZZZ/results.csv`, { headers: { 'X-Host-Key': created.hostKey } })).status).toBe(404);

    // a token asked for on n1 downloads once on n2, and then on no node
    const granted = await call(host, 'class:csvToken', { code });
    expect(granted.ok).toBe(true);
    const query = `?token=${encodeURIComponent(granted.token)}`;
    expect((await csvAt(n2, undefined, query)).status).toBe(200);
    expect((await csvAt(n1, undefined, query)).status).toBe(403);
    expect((await csvAt(n2, undefined, query)).status).toBe(403);
  });

  it('two nodes racing to take one room: exactly one wins, and the loser cannot write its record', async () => {
    const redis = await startRedis();
    const logger = createLogger('silent');
    const config = { ...loadConfig({}), redisUrl: redis.url, leaseMs: 2000 };
    const one = await Cluster.connect({ ...config, nodeId: 'racer-1' }, logger);
    const two = await Cluster.connect({ ...config, nodeId: 'racer-2' }, logger);
    try {
      for (let i = 0; i < 25; i += 1) {
        const code = `RACE${i}`;
        const [won1, won2] = await Promise.all([one.claim('room', code), two.claim('room', code)]);
        expect([won1, won2].filter(Boolean)).toHaveLength(1);
        const winner = won1 ? one : two;
        const loser = won1 ? two : one;
        expect(await one.redis.get(leaseKey('room', code))).toBe(winner.nodeId);
        await winner.store.put(`room:${code}`, 'winner');
        await expect(loser.store.put(`room:${code}`, 'loser')).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
        expect(await one.store.get(`room:${code}`)).toBe('winner');
      }
      // a node whose lease was taken from it (it expired, another node took it) cannot write either
      await one.claim('room', 'STALE');
      await one.redis.del(leaseKey('room', 'STALE'));
      expect(await two.claim('room', 'STALE')).toBe(true);
      await expect(one.store.put('room:STALE', 'stale')).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
      expect(await one.store.get('room:STALE')).toBeUndefined();
    } finally {
      await one.close();
      await two.close();
    }
  });
});

void sleep;
