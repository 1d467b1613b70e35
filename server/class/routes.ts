// The class's HTTP routes: the join link as a QR code (drawn here with the qrcode package, nothing leaves the
// server) and the results as CSV for the host.
import type { Express, Request } from 'express';
import QRCode from 'qrcode';
import { RESULTS_UNAVAILABLE } from '../../shared/i18n/errors.ts';
import { sessionCodeSchema, sessionLink } from '../../shared/protocol/class.ts';

/**
 * The results of a session for whoever shows the host key or a download token, asked of the session wherever
 * it runs: the CSV, `forbidden` (neither opens it), `unknown` (no such session), or `unavailable` (its node
 * did not answer in time, or could not save the spent token).
 */
export type ResultsLookup = (code: string, hostKey: string, token: string) => Promise<{ csv: string } | 'forbidden' | 'unknown' | 'unavailable'>;

/** The page's origin as the browser asked for it; a Host header that is not a plain host[:port] is not used. */
function originOf(req: Request, publicUrl: string | null): string {
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  const host = req.headers.host ?? '';
  const safe = /^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host) ? host : 'localhost';
  return `${req.protocol}://${safe}`;
}

export function classRoutes(app: Express, results: ResultsLookup, publicUrl: string | null): void {
  // any well-formed code gets its QR code, so the route tells nothing about which sessions exist; it needs
  // nothing but the code and the page's address, so every node of a cluster draws it
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
    const header = req.headers['x-host-key'];
    const key = typeof header === 'string' ? header : '';
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const answer = code.success ? await results(code.data, key, token) : 'unknown';
    if (answer === 'unknown') {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    if (answer === 'forbidden') {
      res.status(403).type('text/plain').send('Forbidden');
      return;
    }
    if (answer === 'unavailable') {
      // the host sees this in the browser: both languages; the download may simply be tried again
      res.status(503).set('Retry-After', '2').type('text/plain; charset=utf-8').send(`${RESULTS_UNAVAILABLE.en}\n${RESULTS_UNAVAILABLE.zh}\n`);
      return;
    }
    res
      .type('text/csv; charset=utf-8')
      .set('Cache-Control', 'no-store')
      .set('Content-Disposition', `attachment; filename="handshake-${code.data}.csv"`)
      .send(`\uFEFF${answer.csv}`);
  });
}
