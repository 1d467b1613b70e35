// GET /api/lan-addresses: where other devices on the network can reach this server, for a page opened on a
// loopback address (127.0.0.1, localhost), whose join links and QR codes phones could not open. Read-only; it
// names the machine's own non-internal IPv4 addresses only when the server listens on all interfaces (a server
// bound to 127.0.0.1 cannot be reached from them), and the PUBLIC_URL the server was started with, if any.
import type { NetworkInterfaceInfo } from 'node:os';
import { networkInterfaces } from 'node:os';
import type { AddressInfo, Server } from 'node:net';
import type { Express } from 'express';

export interface LanAddresses {
  /** PUBLIC_URL, when set: the address to put in links, always */
  publicUrl: string | null;
  /** host addresses other devices may reach this server at (IPv4, not loopback); empty when it listens on loopback only */
  addresses: string[];
}

/** The LAN addresses of `interfaces` a server bound to `bound` (0.0.0.0, ::, or one address) answers on. */
export function lanAddresses(interfaces: Record<string, NetworkInterfaceInfo[] | undefined>, bound: string | null): string[] {
  if (!bound) return [];
  const all = bound === '0.0.0.0' || bound === '::' || bound === '';
  const found: string[] = [];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.internal || info.family !== 'IPv4') continue;
      if (all || info.address === bound) found.push(info.address);
    }
  }
  return [...new Set(found)];
}

export function lanAddressRoute(app: Express, publicUrl: string | null): void {
  app.get('/api/lan-addresses', (req, res) => {
    // the listening server of the connection this request came on (Node sets socket.server for accepted sockets)
    const server = (req.socket as unknown as { server?: Server }).server;
    const address = server?.address();
    const bound = address && typeof address === 'object' ? (address as AddressInfo).address : null;
    const body: LanAddresses = { publicUrl: publicUrl ? publicUrl.replace(/\/+$/, '') : null, addresses: lanAddresses(networkInterfaces(), bound) };
    res.set('Cache-Control', 'no-store').json(body);
  });
}
