// GET /r/CODE/capture.pcapng: the room's current round as a pcapng file (shared/capture/fromGame.ts). As
// public as spectating: anyone with the code may download it. The route sees rooms only through `lookup`,
// so it does not depend on how the lobby keeps them.
import type { Express } from 'express';
import { gameToPcapng, type CaptureLanguage } from '../shared/capture/fromGame.ts';
import type { GameState } from '../shared/game/types.ts';
import { roomCodeSchema } from '../shared/protocol/events.ts';

export interface CaptureSource {
  game: GameState;
  /** the room's language: the comments' language unless ?lang= asks for the other */
  language: CaptureLanguage;
  /** when the round began (ms since 1970): the first packet's time follows it */
  startMs: number;
}

export type CaptureLookup = (code: string) => CaptureSource | undefined | Promise<CaptureSource | undefined>;

const NOT_FOUND = 'No room has this code (or it has expired).\n没有这个房间码对应的房间（或房间已过期）。\n';

export function captureRoute(app: Express, lookup: CaptureLookup): void {
  app.get('/r/:code/capture.pcapng', async (req, res) => {
    const code = roomCodeSchema.safeParse(req.params.code);
    const source = code.success ? await lookup(code.data) : undefined;
    if (!code.success || !source) {
      res.status(404).type('text/plain; charset=utf-8').set('Cache-Control', 'no-store').send(NOT_FOUND);
      return;
    }
    const asked = req.query.lang;
    const language: CaptureLanguage = asked === 'en' || asked === 'zh-CN' ? asked : source.language;
    const bytes = gameToPcapng(source.game, { language, startMs: source.startMs });
    res
      .status(200)
      .type('application/x-pcapng')
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', `attachment; filename="handshake-${code.data}.pcapng"`)
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
}
