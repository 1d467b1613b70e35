// The event bus between the scenes, the DOM layer, the store and the connection.
// A scene subscribes with `listen(scene, ...)`, which removes the listener when the scene shuts down,
// so restarting a scene never piles up listeners (phaser issue #5722).
import type { Card, LocalizedText, Refusal } from '../../shared/game/types.ts';
import type { Reaction } from '../../shared/tcp/types.ts';
import type { Evicted, JoinedRoom, ProtocolError, RoomUpdate, RoomView, SeatPresence, YouAre } from '../../shared/protocol/events.ts';
import type { Language } from '../../shared/i18n/index.ts';
import type { Seat } from '../../shared/game/types.ts';

export type Skin = 'network' | 'airport';
export type ScreenKey = 'Menu' | 'Table' | 'Result' | 'Class';

export interface BusEvents {
  /** socket status */
  'net:status': { status: 'connecting' | 'connected' | 'disconnected' };
  /** the connection is lost: the next try is at `at` (ms since epoch), or null while a try is under way */
  'net:retry': { at: number | null };
  /** we took a seat or started watching */
  'room:joined': JoinedRoom;
  /** a new room view (with what the last move did) */
  'room:update': RoomUpdate;
  'room:presence': { code: string; seats: Record<Seat, SeatPresence>; spectators: number };
  'room:left': Record<string, never>;
  /** a human left the other seat and a bot took it (told from the seats in an update) */
  'seat:botTookOver': { seat: Seat; nickname: string | null };
  /** the referee refused our card */
  /** `early`: the browser's own shape check (parseCard), shown before the server answers; `confirmed`: the
   * server's refusal of a card already explained early (same code: nothing new to announce) */
  'card:refused': { refusal: Refusal; card: Card; early?: boolean; confirmed?: boolean };
  /** `warning`: a legal move that deserves a word (a call that cannot reach the mission any more) */
  'card:accepted': { card: Card; version: number; warning?: LocalizedText };
  /** hard mode: the referee refused our card and it was sent anyway; `reaction` is what the other end's TCP did
   * with it (null while it is still on the wire, or lost) */
  'card:sentAnyway': { refusal: Refusal; card: Card; reaction: Reaction | null };
  'card:pending': { pending: boolean };
  'hint:shown': { hint: Card | null };
  'quiz:result': { correct: boolean; state: string; auto: boolean };
  /** any other protocol error, to show and announce */
  'error': { error: ProtocolError };
  'prefs:changed': { lang: Language; skin: Skin };
  /** ask the game to switch to a scene */
  'screen:goto': { screen: ScreenKey };
  /** a sentence for the live region */
  'announce': { text: string; assertive?: boolean };
  /** fill the hand with a card (from a hint) */
  'hand:fill': { card: Card };
  'room:resynced': { room: RoomView };
  /** our seat or role changed (rematch swaps the ends) */
  'room:you': YouAre;
  /** we were removed from the room (another tab took our seat, or the room expired) */
  'room:evicted': Evicted;
}

type Handler<K extends keyof BusEvents> = (payload: BusEvents[K]) => void;

export class Bus {
  private handlers = new Map<keyof BusEvents, Set<Handler<any>>>();

  on<K extends keyof BusEvents>(event: K, handler: Handler<K>): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => this.off(event, handler);
  }

  off<K extends keyof BusEvents>(event: K, handler: Handler<K>): void {
    this.handlers.get(event)?.delete(handler);
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    for (const handler of [...(this.handlers.get(event) ?? [])]) {
      try {
        handler(payload);
      } catch (err) {
        console.warn(`bus handler for ${String(event)} failed`, err);
      }
    }
  }

  /** how many listeners an event has (tests and leak checks) */
  count(event: keyof BusEvents): number {
    return this.handlers.get(event)?.size ?? 0;
  }
}

export const bus = new Bus();

/** Something with a shutdown signal: a Phaser scene's `events`, or anything alike. */
interface ShutdownSource {
  events: { once(event: string, fn: () => void): unknown };
}

/** Subscribe for the life of a scene: the listener goes away when the scene shuts down or is destroyed. */
export function listen<K extends keyof BusEvents>(owner: ShutdownSource, event: K, handler: Handler<K>): void {
  const off = bus.on(event, handler);
  let done = false;
  const stop = () => {
    if (!done) {
      done = true;
      off();
    }
  };
  owner.events.once('shutdown', stop);
  owner.events.once('destroy', stop);
}
