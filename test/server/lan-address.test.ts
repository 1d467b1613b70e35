// GET /api/lan-addresses: a page opened on 127.0.0.1 learns where phones can reach the server instead — only the
// addresses it really answers on — and the PUBLIC_URL it was started with.
import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { lanAddresses } from '../../server/lanAddress.ts';
import { testServer } from './helpers.ts';

const nic = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({ address, family, internal }) as NetworkInterfaceInfo;
const INTERFACES = {
  lo: [nic('127.0.0.1', 'IPv4', true), nic('::1', 'IPv6', true)],
  eth0: [nic('192.168.1.20', 'IPv4'), nic('fe80::1', 'IPv6')],
  wlan0: [nic('10.0.0.7', 'IPv4')],
};

describe('LAN addresses', () => {
  it('names the non-internal IPv4 addresses a server bound to all interfaces answers on', () => {
    expect(lanAddresses(INTERFACES, '0.0.0.0')).toEqual(['192.168.1.20', '10.0.0.7']);
    expect(lanAddresses(INTERFACES, '::')).toEqual(['192.168.1.20', '10.0.0.7']);
    expect(lanAddresses(INTERFACES, '10.0.0.7')).toEqual(['10.0.0.7']);
  });

  it('names none for a server bound to loopback only: phones could not reach it there', () => {
    expect(lanAddresses(INTERFACES, '127.0.0.1')).toEqual([]);
    expect(lanAddresses(INTERFACES, null)).toEqual([]);
  });

  describe('the route', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await testServer({});
    });
    afterAll(async () => {
      await server.close();
    });

    it('answers a server on 127.0.0.1 with no address and no PUBLIC_URL', async () => {
      const response = await fetch(`${server.url}/api/lan-addresses`);
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toEqual({ publicUrl: null, addresses: [] });
    });
  });
});
