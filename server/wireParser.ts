// socket.io's parser with two shortcuts, for what only this server sends.
//
// - The server only ever sends plain JSON (no Buffers, no Blobs), so an outgoing event or acknowledgement
//   skips socket.io-parser's hasBinary() walk over the whole payload and is encoded straight to the same
//   string the stock encoder makes.
// - A value may be handed over already encoded (PreEncodedJson): a move's room:update goes to the room and,
//   inside the card's answer, to the player who played it; it is made into JSON once for both.
//
// The wire format is unchanged; decoding is the stock Decoder.
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

/** A value already made into JSON text; `T` is the type of what the text decodes to. */
export class PreEncodedJson<T = unknown> {
  declare readonly decodesTo?: T;
  constructor(readonly json: string) {}

  /** Reached only through JSON.stringify, i.e. deeper than encodeJson looks: a mistake to make loudly. */
  toJSON(): never {
    throw new Error('a PreEncodedJson may only be an event argument or a property of one');
  }
}

/** What JSON.stringify leaves out of an object (and writes as null in an array). */
const unencodable = (value: unknown) => value === undefined || typeof value === 'function' || typeof value === 'symbol';

/**
 * JSON text of `value`, where a PreEncodedJson may stand for the value itself, for an element of it (an
 * array) or for a property of it (an object); deeper ones are not looked for (none are ever sent).
 */
export function encodeJson(value: unknown): string {
  if (value instanceof PreEncodedJson) return value.json;
  // joined with +, not Array.join: join would copy the (kilobytes of) pre-encoded text into a new string,
  // while + only links the pieces until the one copy made when the packet is written
  if (Array.isArray(value)) {
    if (!value.some((item) => item instanceof PreEncodedJson || hasPreEncodedProperty(item))) return JSON.stringify(value);
    let text = '[';
    for (let i = 0; i < value.length; i += 1) text += (i > 0 ? ',' : '') + (unencodable(value[i]) ? 'null' : encodeJson(value[i]));
    return `${text}]`;
  }
  if (!hasPreEncodedProperty(value)) return JSON.stringify(value);
  let text = '{';
  for (const [key, item] of Object.entries(value as object)) {
    if (unencodable(item)) continue;
    text += (text.length > 1 ? ',' : '') + JSON.stringify(key) + ':' + (item instanceof PreEncodedJson ? item.json : JSON.stringify(item));
  }
  return `${text}}`;
}

function hasPreEncodedProperty(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  for (const key in value) if ((value as Record<string, unknown>)[key] instanceof PreEncodedJson) return true;
  return false;
}

class PlainJsonEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Encoder['encode']> {
    if (packet.type === PacketType.EVENT || packet.type === PacketType.ACK) {
      let text = String(packet.type);
      if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
      if (packet.id != null) text += packet.id;
      if (packet.data != null) text += encodeJson(packet.data);
      return [text];
    }
    return super.encode(packet);
  }
}

export const plainJsonParser = { Encoder: PlainJsonEncoder, Decoder };
