// Structured logs (pino). Nothing personal goes in: room codes, seats, codes of errors, nicknames at most;
// never addresses, seat tokens or payloads.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'handshake' }, redact: ['seatToken', '*.seatToken', 'token'] });
}
