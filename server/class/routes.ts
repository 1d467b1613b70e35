// The class's HTTP routes: the join link as a QR code (drawn here with the qrcode package, nothing leaves the
// server) and the results as CSV for the host.
import type { Express, Request } from 'express';
import QRCode from 'qrcode';
import { sessionCodeSchema, sessionLink } from '../../shared/protocol/class.ts';
import type { Session } from './session.ts';

/** The page's origin as the browser asked for it; a Host header that is not a plain host[:port] is not used. */
function originOf(req: Request, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = req.headers.host ?? '';
  const safe = /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : 'localhost';
  return `${req.protocol}://${safe}`;
}

export function classRoutes(app: Express, sessions: (code: string) => Promise<Session | undefined>, publicUrl: string | null): void {
  // any well-formed code gets its QR code, so the route tells nothing about which sessions exist
  app.get('/c/:code/qr.svg', async (req, res) => {
    const code = sessionCodeSchema.safeParse(req.params.code);
    if (!code.success) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    const svg = await QRCode.toString(`${originOf(req, publicUrl)}${sessionLink(code.data)}`, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-store').send(svg);
  });

  // who may download: the host key in a header (X-Host-Key), or a one-time token from class:csvToken in the
  // query (?token=) for a plain link. The host key itself is never accepted in a URL: URLs land in history
  // and in proxy logs.
  app.get('/c/:code/results.csv', async (req, res) => {
    const code = sessionCodeSchema.safeParse(req.params.code);
    const session = code.success ? await sessions(code.data) : undefined;
    const header = req.headers['x-host-key'];
    const key = typeof header === 'string' ? header : '';
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const allowed = session !== undefined && ((key !== '' && session.hostKeyMatches(key)) || (token !== '' && (await session.takeCsvToken(token))));
    if (!session || !allowed) {
      res.status(session ? 403 : 404).type('text/plain').send(session ? 'Forbidden' : 'Not found');
      return;
    }
    res
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', `attachment; filename="handshake-${session.code}.csv"`)
      .send(`\uFEFF${session.csv()}`);
  });
}
