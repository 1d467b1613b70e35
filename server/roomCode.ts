// Room codes: 6 characters from a 31-letter alphabet without look-alikes, drawn with crypto randomness
// (nanoid's customAlphabet uses crypto.getRandomValues). 31^6 ≈ 887 million codes: with a thousand live rooms
// a guess hits one time in ~900,000, and join attempts are rate-limited per address, so codes cannot be
// found in bulk.
import { customAlphabet } from 'nanoid';
import { ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH } from '../shared/protocol/events.ts';

export const newRoomCode: () => string = customAlphabet(ROOM_CODE_ALPHABET, ROOM_CODE_LENGTH);

/** Seat tokens: nanoid(), 21 url-safe characters (126 bits), private to the seat's holder. */
export { nanoid as newSeatToken } from 'nanoid';
