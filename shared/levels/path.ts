// The learning path: level files bundled with the game. A new level is a JSON file in ./path/ and one line
// here; the format is checked when the game loads (shared/levels/format.ts, docs/levels.md).

import l01 from './path/01-fields.json' with { type: 'json' };
import l02 from './path/02-handshake-client.json' with { type: 'json' };
import l03 from './path/03-handshake-server.json' with { type: 'json' };
import l04 from './path/04-old-duplicate-syn.json' with { type: 'json' };
import l05 from './path/05-close-first.json' with { type: 'json' };
import l06 from './path/06-closed-on.json' with { type: 'json' };
import l07 from './path/07-close-wait-data.json' with { type: 'json' };
import l08 from './path/08-two-generals.json' with { type: 'json' };
import l09 from './path/09-ack-counts-bytes.json' with { type: 'json' };
import l10 from './path/10-simultaneous-open.json' with { type: 'json' };
import l11 from './path/11-simultaneous-close.json' with { type: 'json' };
import l12 from './path/12-refused.json' with { type: 'json' };
import l13 from './path/13-lost-syn.json' with { type: 'json' };
import l14 from './path/14-lost-last-ack.json' with { type: 'json' };
import l15 from './path/15-half-open.json' with { type: 'json' };
import l16 from './path/16-wraparound.json' with { type: 'json' };
import l17 from './path/17-erring-bot.json' with { type: 'json' };
import l18 from './path/18-fin-carries-ack.json' with { type: 'json' };
import l19 from './path/19-linux-differences.json' with { type: 'json' };

export interface BundledLevel {
  file: unknown;
  source: string;
}

export const PATH_LEVELS: BundledLevel[] = [
  { file: l01, source: 'shared/levels/path/01-fields.json' },
  { file: l02, source: 'shared/levels/path/02-handshake-client.json' },
  { file: l03, source: 'shared/levels/path/03-handshake-server.json' },
  { file: l04, source: 'shared/levels/path/04-old-duplicate-syn.json' },
  { file: l05, source: 'shared/levels/path/05-close-first.json' },
  { file: l06, source: 'shared/levels/path/06-closed-on.json' },
  { file: l07, source: 'shared/levels/path/07-close-wait-data.json' },
  { file: l08, source: 'shared/levels/path/08-two-generals.json' },
  { file: l09, source: 'shared/levels/path/09-ack-counts-bytes.json' },
  { file: l10, source: 'shared/levels/path/10-simultaneous-open.json' },
  { file: l11, source: 'shared/levels/path/11-simultaneous-close.json' },
  { file: l12, source: 'shared/levels/path/12-refused.json' },
  { file: l13, source: 'shared/levels/path/13-lost-syn.json' },
  { file: l14, source: 'shared/levels/path/14-lost-last-ack.json' },
  { file: l15, source: 'shared/levels/path/15-half-open.json' },
  { file: l16, source: 'shared/levels/path/16-wraparound.json' },
  { file: l17, source: 'shared/levels/path/17-erring-bot.json' },
  { file: l18, source: 'shared/levels/path/18-fin-carries-ack.json' },
  { file: l19, source: 'shared/levels/path/19-linux-differences.json' },
];
