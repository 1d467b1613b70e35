// The panel that invites a friend: the room's code, its link (copied on a click) and a QR code.
import { h, uid } from './h.ts';
import { announce } from './live.ts';
import { tr } from './page.ts';
import { joinNote, whenJoinAddressKnown } from './joinAddress.ts';

async function copyLink(link: string, status: HTMLElement): Promise<void> {
  let ok = false;
  try {
    await navigator.clipboard.writeText(link);
    ok = true;
  } catch {
    const input = document.querySelector<HTMLInputElement>('[data-role="link"]');
    if (input) {
      input.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
  }
  status.textContent = tr(ok ? 'room.copied' : 'room.copyFailed');
  announce(status.textContent);
}

/** Draw `link` as a QR code into `img` (the qrcode package draws locally; loaded on demand so the menu stays light). */
export function drawQr(img: HTMLImageElement, link: string): void {
  void import('qrcode').then((QR) =>
    QR.toDataURL(link, { margin: 1, width: 264, color: { dark: '#0f1b2d', light: '#ffffff' } }).then((url: string) => (img.src = url)),
  );
}

export function sharePanel(code: string): HTMLElement {
  let link = `${location.origin}/r/${code}`;
  const linkId = uid('link');
  const status = h('p', { class: 'small', 'aria-live': 'polite' });
  const qr = h('img', { class: 'qr', alt: tr('room.qr'), width: 132, height: 132, 'data-role': 'qr' }) as HTMLImageElement;
  drawQr(qr, link);
  const input = h('input', { id: linkId, readonly: true, value: link, 'data-role': 'link', onfocus: (ev: Event) => (ev.target as HTMLInputElement).select() }) as HTMLInputElement;
  // a page opened on 127.0.0.1 hands out an address phones can reach, or says why it cannot
  const note = joinNote();
  whenJoinAddressKnown(note, (origin) => {
    link = `${origin}/r/${code}`;
    input.value = link;
    drawQr(qr, link);
  });
  return h(
    'section',
    { class: 'panel share', 'aria-labelledby': 'share-title', 'data-role': 'share' },
    h('h2', { id: 'share-title' }, tr('room.share')),
    h('p', { class: 'waiting' }, tr('room.waitingPeer')),
    h(
      'div',
      { class: 'share-row' },
      h(
        'div',
        { class: 'share-text' },
        h('p', { class: 'code' }, h('span', { class: 'small' }, tr('menu.roomCode')), ' ', h('strong', { 'data-role': 'code' }, code)),
        h('label', { for: linkId }, tr('room.link')),
        input,
        h('button', { type: 'button', onclick: () => void copyLink(link, status) }, tr('room.copy')),
        status,
      ),
      qr,
    ),
    note,
  );
}
