// Small pure helpers shared by the scenes and the DOM layer: names, labels and colours.
import type { Card, NetworkFaults, Seat } from '../../shared/game/types.ts';
import type { Flag, SegmentFields, TcpState } from '../../shared/tcp/types.ts';
import { t, type Language, type UiKey } from '../../shared/i18n/index.ts';
import type { Skin } from './bus.ts';

export type Phase = 'opening' | 'open' | 'closing' | 'closed';

export function phaseOf(state: TcpState): Phase {
  switch (state) {
    case 'CLOSED':
      return 'closed';
    case 'LISTEN':
    case 'SYN-SENT':
    case 'SYN-RECEIVED':
      return 'opening';
    case 'ESTABLISHED':
      return 'open';
    default:
      return 'closing';
  }
}

/** Colours by phase; each phase also has its own word and symbol, so colour is never the only signal. */
export const PHASE_COLOURS: Record<Phase, { fill: number; css: string; symbol: string }> = {
  opening: { fill: 0xf0a830, css: '#f0a830', symbol: '◔' },
  open: { fill: 0x3cc47c, css: '#3cc47c', symbol: '●' },
  closing: { fill: 0x8f7cf6, css: '#8f7cf6', symbol: '◑' },
  closed: { fill: 0x8a96a8, css: '#8a96a8', symbol: '○' },
};

/** Flag order used in labels: the way people say them ("SYN+ACK", "FIN+ACK"). */
const SPOKEN_ORDER: Flag[] = ['SYN', 'FIN', 'RST', 'PSH', 'URG', 'ACK'];

export function flagsLabel(flags: readonly Flag[]): string {
  const sorted = SPOKEN_ORDER.filter((f) => flags.includes(f));
  return sorted.length ? sorted.join('+') : '—';
}

export function segmentLabel(seg: SegmentFields): string {
  const parts = [flagsLabel(seg.flags), `seq=${seg.seq}`];
  if (seg.ack !== null) parts.push(`ack=${seg.ack}`);
  if (seg.len > 0) parts.push(`len=${seg.len}`);
  return parts.join(' ');
}

export function roleName(lang: Language, skin: Skin, seat: Seat, short = false): string {
  return t(lang, `skin.${skin}.${seat}${short ? '.short' : ''}` as UiKey);
}

export function cardLabel(lang: Language, card: Card): string {
  if (card.kind === 'call') {
    const name = t(lang, `call.${card.call}` as UiKey);
    return card.data ? `${name} "${card.data}"` : name;
  }
  return segmentLabel(card);
}

/** The tower's line for a segment, in the airport skin (after the 3U8633 story in the lecture notes). */
export function airportLine(lang: Language, seg: SegmentFields): string {
  const f = new Set(seg.flags);
  let key: UiKey = 'air.ACK';
  if (f.has('RST')) key = 'air.RST';
  else if (f.has('SYN')) key = f.has('ACK') ? 'air.SYNACK' : 'air.SYN';
  else if (f.has('FIN')) key = seg.len > 0 || f.has('ACK') ? 'air.FIN' : 'air.FIN';
  else if (seg.len > 0) key = 'air.DATA';
  return t(lang, key);
}

export const FONT_STACK = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "Segoe UI", system-ui, sans-serif';
export const MONO_STACK = 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, "Noto Sans CJK SC", monospace';

/** The networks the Menu offers for a duel or a bot room (sent as room:create's `faults`). */
export const NETWORKS = {
  reliable: { loss: 0, duplicate: 0, reorder: 0 },
  lossy: { loss: 0.2, duplicate: 0, reorder: 0 },
  unreliable: { loss: 0.15, duplicate: 0.1, reorder: 0.1 },
} as const satisfies Record<string, NetworkFaults>;
export type NetworkName = keyof typeof NETWORKS;
export const NETWORK_NAMES = Object.keys(NETWORKS) as NetworkName[];

/** What a network does, in words: "20% lost, 10% duplicated", or that every segment arrives. */
export function faultsDetail(lang: Language, faults: NetworkFaults): string {
  const pct = (x: number) => Math.round(x * 100);
  const parts = (['loss', 'duplicate', 'reorder'] as const).filter((k) => faults[k] > 0).map((k) => t(lang, `network.${k}` as UiKey, { percent: pct(faults[k]) }));
  return parts.length ? parts.join(t(lang, 'network.sep')) : t(lang, 'network.none');
}

/** A network's name (one of the Menu's, or "misbehaving" for a class round's own mix) and what it does. */
export function networkLabel(lang: Language, faults: NetworkFaults | undefined): string {
  const f = faults ?? NETWORKS.reliable;
  const name = NETWORK_NAMES.find((n) => (['loss', 'duplicate', 'reorder'] as const).every((k) => NETWORKS[n][k] === f[k]));
  return t(lang, 'network.label', { name: t(lang, `network.${name ?? 'custom'}` as UiKey), detail: faultsDetail(lang, f) });
}

/**
 * An end's numbers as the board and the status list show them: its ISS, the oldest number not yet acknowledged
 * (SND.UNA: where a retransmission starts), the next number it sends (SND.NXT), the next it expects (RCV.NXT),
 * and its retransmission timeout now (it doubles after each loss). Each pair is a name and its value.
 */
export function endNumbers(
  lang: Language,
  tcb: { iss: number; sndUna: number; sndNxt: number; rcvNxt: number },
  rtoMs: number | undefined,
  /** the bare technical names (a phone's small box): "ISS", not "初始序号 ISS" */
  short = false,
): [string, string][] {
  const pairs: [string, string][] = [
    [short ? 'ISS' : t(lang, 'board.iss'), String(tcb.iss)],
    ['SND.UNA', String(tcb.sndUna)],
    ['SND.NXT', String(tcb.sndNxt)],
    ['RCV.NXT', String(tcb.rcvNxt)],
  ];
  if (rtoMs !== undefined) {
    const [name, value] = t(lang, 'board.rto', { seconds: Math.round(rtoMs / 100) / 10 }).split(/ (.*)/s) as [string, string];
    pairs.push([name, value]);
  }
  return pairs;
}
