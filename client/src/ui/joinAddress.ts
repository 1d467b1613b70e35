// The address join links and QR codes carry. A page opened on a loopback address (127.0.0.1, localhost) would
// hand out links that no phone can open: then the server's LAN address is used when it answers there (or the
// PUBLIC_URL it was started with), and the page says so; if there is none, it warns and points to PUBLIC_URL.
import { h } from './h.ts';
import { tr } from './page.ts';

export function onLoopback(hostname = location.hostname): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || /^127\./.test(hostname) || hostname === '[::1]' || hostname === '::1';
}

/** What GET /api/lan-addresses answers (server/lanAddress.ts). */
interface LanAddresses {
  publicUrl: string | null;
  addresses: string[];
}

let asked: Promise<LanAddresses | null> | null = null;

function lan(): Promise<LanAddresses | null> {
  asked ??= fetch('/api/lan-addresses')
    .then((r) => (r.ok ? (r.json() as Promise<LanAddresses>) : null))
    .catch(() => null);
  return asked;
}

export interface JoinAddress {
  /** the origin to put in links: this page's, or, on loopback, one other devices can reach */
  origin: string;
  /** what to tell the host (null: nothing to say, the page's own address is fine) */
  note: string | null;
}

/** Where to send other devices, and what to say about it. */
export async function joinAddress(): Promise<JoinAddress> {
  const here = location.origin;
  if (!onLoopback()) return { origin: here, note: null };
  const info = await lan();
  if (info?.publicUrl) return { origin: info.publicUrl, note: tr('share.loopback.publicUrl', { here: location.host, url: info.publicUrl }) };
  const address = info?.addresses[0];
  if (address) {
    const origin = `${location.protocol}//${address}${location.port ? `:${location.port}` : ''}`;
    return { origin, note: tr('share.loopback.lan', { here: location.host, url: origin }) };
  }
  return { origin: here, note: tr('share.loopback.none', { here: location.host }) };
}

/** The note under a join link; empty until the address is known, and empty for a page already on the network. */
export function joinNote(): HTMLElement {
  return h('p', { class: 'join-note small', 'data-role': 'join-note', role: 'note', hidden: true });
}

/** Fill in a panel's link, QR code and note once the address is known. `apply` gets the origin to use. */
export function whenJoinAddressKnown(note: HTMLElement, apply: (origin: string) => void): void {
  void joinAddress().then(({ origin, note: text }) => {
    if (!note.isConnected) return;
    if (origin !== location.origin) apply(origin);
    note.textContent = text ?? '';
    note.hidden = !text;
  });
}
