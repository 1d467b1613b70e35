// socket.io's parser with one shortcut: the server only ever sends plain JSON (no Buffers, no Blobs), so an
// outgoing event or acknowledgement skips socket.io-parser's hasBinary() walk over the whole payload (a
// room:update carries the game's timeline: the walk visits every object in it) and is encoded straight to
// the same string the stock encoder makes. The wire format is unchanged; decoding is the stock Decoder.
import { Decoder, Encoder, PacketType, type Packet } from 'socket.io-parser';

class PlainJsonEncoder extends Encoder {
  override encode(packet: Packet): ReturnType<Encoder['encode']> {
    if (packet.type === PacketType.EVENT || packet.type === PacketType.ACK) {
      let text = String(packet.type);
      if (packet.nsp && packet.nsp !== '/') text += `${packet.nsp},`;
      if (packet.id != null) text += packet.id;
      if (packet.data != null) text += JSON.stringify(packet.data);
      return [text];
    }
    return super.encode(packet);
  }
}

export const plainJsonParser = { Encoder: PlainJsonEncoder, Decoder };
