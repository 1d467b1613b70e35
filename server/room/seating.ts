// Who sits where: the seat decisions of a room as pure functions of its record (no sockets, no clocks).
import type { Seat } from '../../shared/game/types.ts';
import type { SeatPresence } from '../../shared/protocol/events.ts';
import type { RoomOptions, RoomRecord, SeatRecord } from '../store/records.ts';

export const SEATS: readonly Seat[] = ['A', 'B'];
export const otherSeat = (seat: Seat): Seat => (seat === 'A' ? 'B' : 'A');

export const emptySeat = (): SeatRecord => ({ kind: 'empty', nickname: null, tokenHash: null, connected: false, graceEndsAt: null });

/** A bot's seat; `tokenHash` keeps a human's claim on it (a class player who may come back). */
export const botSeat = (tokenHash: string | null = null): SeatRecord => ({
  kind: 'bot',
  nickname: null,
  tokenHash,
  connected: true,
  graceEndsAt: null,
});

/** The seat a newcomer takes: the one asked for if it is empty or a bot's, else the first empty one. */
export function seatForNewcomer(seats: Record<Seat, SeatRecord>, asked?: Seat): Seat | undefined {
  if (asked) return seats[asked].kind === 'empty' || seats[asked].kind === 'bot' ? asked : undefined;
  return SEATS.find((s) => seats[s].kind === 'empty');
}

/** The seat held under a token's hash. */
export function seatOfToken(seats: Record<Seat, SeatRecord>, tokenHash: string): Seat | undefined {
  return SEATS.find((s) => seats[s].tokenHash === tokenHash);
}

export interface Vacated {
  seat: SeatRecord;
  /** the round ends because of it (nobody is left to play on with, or options.onAbandon is 'end') */
  endsRound: boolean;
}

/**
 * A human gives up a seat (leave, or the grace period ran out). While a round is played the seat goes to a
 * bot if someone is left to play with and the room says so, or the round ends; otherwise the seat is empty.
 */
export function vacate(record: Pick<RoomRecord, 'phase' | 'seats' | 'options'>, seat: Seat, keepToken: boolean): Vacated {
  const previous = record.seats[seat];
  if (record.phase !== 'playing') return { seat: emptySeat(), endsRound: false };
  const someoneLeft = SEATS.some((s) => s !== seat && record.seats[s].kind === 'human' && record.seats[s].connected);
  if (record.options.onAbandon === 'bot' && someoneLeft) return { seat: botSeat(keepToken ? previous.tokenHash : null), endsRound: false };
  return { seat: keepToken ? { ...previous, graceEndsAt: null } : emptySeat(), endsRound: true };
}

/** Both seats are taken: the round can start. */
export const bothTaken = (seats: Record<Seat, SeatRecord>): boolean => SEATS.every((s) => seats[s].kind !== 'empty');

/** A seat as the members see it (a bot is always connected). */
export function presenceOf(s: SeatRecord): SeatPresence {
  return {
    nickname: s.nickname,
    kind: s.kind,
    connected: s.kind === 'bot' ? true : s.kind === 'human' && s.connected,
    graceEndsAt: s.graceEndsAt,
  };
}
