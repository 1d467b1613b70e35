// The HTTP side: security headers, /healthz, the built client, and index.html for client routes (/r/CODE).
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { classRoutes, type ResultsLookup } from './class/routes.ts';
import { captureRoute, type CaptureLookup } from './captureRoute.ts';
import { lanAddressRoute } from './lanAddress.ts';

export interface HttpDeps {
  /** the built client (dist/client); null or missing = no static files, only /healthz */
  clientDir: string | null;
  health: () => Record<string, unknown>;
  /** true once the server has begun to close: /healthz answers 503 so a load balancer stops sending */
  shuttingDown?: () => boolean;
  /** a class session's results for the CSV route, wherever the session runs */
  results?: ResultsLookup;
  publicUrl?: string | null;
  /** a room's current round, for GET /r/CODE/capture.pcapng */
  capture?: CaptureLookup;
}

/** A Host header fit to go into a CSP source: host name or address and port, nothing else. */
function socketSources(host: string | undefined): string {
  if (!host || !/^[A-Za-z0-9.\-:[\]]{1,255}$/.test(host)) return '';
  // 'self' covers same-origin ws:/wss: in CSP Level 3 browsers; older ones need the origin spelled out
  return `ws://${host} wss://${host}`;
}

export function createHttpApp(deps: HttpDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Phaser and Vite set inline styles on the canvas and the page
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:', 'blob:'],
          mediaSrc: ["'self'", 'data:', 'blob:'],
          fontSrc: ["'self'", 'data:'],
          workerSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'", (req) => socketSources(req.headers.host)],
          objectSrc: ["'none'"],
          frameAncestors: ["'self'"],
          // a classroom server is often plain http on a LAN address: never upgrade its requests to https
          upgradeInsecureRequests: null,
        },
      },
      // plain http on a LAN is normal here; HSTS would lock a host name to https
      strictTransportSecurity: false,
    }),
  );

  app.get('/healthz', (_req, res) => {
    if (deps.shuttingDown?.()) {
      res.status(503).set('Cache-Control', 'no-store').json({ ok: false, shuttingDown: true, ...deps.health() });
      return;
    }
    res.json({ ok: true, ...deps.health() });
  });

  classRoutes(app, deps.results ?? (async () => 'unknown' as const), deps.publicUrl ?? null);
  captureRoute(app, deps.capture ?? (() => undefined));
  lanAddressRoute(app, deps.publicUrl ?? null);

  const dir = deps.clientDir ? path.resolve(deps.clientDir) : null;
  const index = dir ? path.join(dir, 'index.html') : null;
  if (dir && existsSync(dir)) {
    app.use(express.static(dir, { index: 'index.html', maxAge: '1h' }));
  }
  // client routes (/r/CODE, /watch/CODE, …) get the page; a missing file with an extension is a 404
  app.get('/{*splat}', (req, res) => {
    const last = req.path.split('/').pop() ?? '';
    if (!index || last.includes('.') || !existsSync(index)) {
      res.status(404).type('text/plain').send('Not found');
      return;
    }
    res.sendFile(index);
  });
  return app;
}
