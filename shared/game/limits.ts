// The one set of limits on what a card may hold. The referee judges a card against these and explains a
// card that breaks them (SEQ_OUT_OF_RANGE, NEGATIVE_LENGTH…); the socket schema only checks a card's
// structure (which fields, of which types), so that those explanations reach the player instead of a bare
// BAD_PAYLOAD; and the client's fields use the same numbers.

export const CARD_LIMITS = {
  /** sequence and acknowledgment numbers are 32-bit fields (RFC 9293 §3.1) */
  seqMin: 0,
  seqMax: 0xffff_ffff,
  /**
   * payload bytes of one segment: a TCP segment travels in an IP datagram whose 16-bit total length bounds
   * it (RFC 9293 §3.1 has no length field of its own). The game's payloads are far smaller.
   */
  lenMin: 0,
  lenMax: 65_535,
  /** characters of the text a send call sends (the mission cards send words like HELLO) */
  dataMaxChars: 64,
} as const;
