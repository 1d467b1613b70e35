// What the Table and the Result both offer: leaving the room, and saving the game's timeline as a PNG or the
// game as a capture (pcapng, made by the server: GET /r/CODE/capture.pcapng, docs/capture.md).
import type { UiKey } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { ladderPng } from '../board/ladder.ts';
import { backToLobby, inClassRoom } from '../class/api.ts';
import { embedded } from '../embed.ts';
import { h } from './h.ts';
import { openReplayWith } from '../replay/entry.ts';
import { lang as L, tr } from './page.ts';

/** Leave the room: to the Menu, or, in a class round, back to the class lobby (/c/CODE); none in the host's frame. */
export function leaveButton(key: UiKey): HTMLElement | null {
  if (embedded) return null;
  const lobby = inClassRoom();
  return h('button', { type: 'button', class: 'quiet', onclick: () => void (lobby ? backToLobby() : store.leave()) }, tr(lobby ? 'room.leaveClass' : key));
}


export function saveTimeline(): void {
  const s = store.state;
  if (!s.room) return;
  const url = ladderPng(s.room.game.timeline, L(), s.skin, tr('timeline.title', { code: s.room.code }));
  const a = h('a', { href: url, download: `handshake-${s.room.code}-timeline.png` });
  document.body.append(a);
  a.click();
  a.remove();
}


/** Download the round as a pcapng file for Wireshark, its packet comments in the page's language. */
export function saveCapture(): void {
  const s = store.state;
  if (!s.room) return;
  const a = h('a', { href: `/r/${s.room.code}/capture.pcapng?lang=${encodeURIComponent(L())}`, download: `handshake-${s.room.code}.pcapng` });
  document.body.append(a);
  a.click();
  a.remove();
}

/** Review the finished round in "Replay a capture": its capture is fetched from the server, then the room is left. */
export async function reviewGame(): Promise<void> {
  const s = store.state;
  if (!s.room) return;
  const code = s.room.code;
  const response = await fetch(`/r/${code}/capture.pcapng?lang=${encodeURIComponent(L())}`);
  if (!response.ok) return;
  openReplayWith(await response.arrayBuffer(), `handshake-${code}.pcapng`);
  await store.leave();
}
