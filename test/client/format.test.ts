// The words the Table puts on a network and on an end's numbers, in both languages.
import { describe, expect, it } from 'vitest';
import { t, type Language } from '../../shared/i18n/index.ts';
import { endNumbers, NETWORKS, networkLabel } from '../../client/src/format.ts';

describe('format', () => {
  for (const lang of ['en', 'zh-CN'] as Language[]) {
    it(`names an unreliable network with what it does (${lang})`, () => {
      expect(networkLabel(lang, NETWORKS.unreliable)).toBe(
        t(lang, 'network.label', {
          name: t(lang, 'network.unreliable'),
          detail: [t(lang, 'network.loss', { percent: 15 }), t(lang, 'network.duplicate', { percent: 10 }), t(lang, 'network.reorder', { percent: 10 })].join(t(lang, 'network.sep')),
        }),
      );
    });
  }

  it("lists an end's ISS, SND.UNA, SND.NXT, RCV.NXT and RTO", () => {
    const tcb = { iss: 100, sndUna: 101, sndNxt: 106, rcvNxt: 301 };
    expect(endNumbers('en', tcb, 6000)).toEqual([['ISS', '100'], ['SND.UNA', '101'], ['SND.NXT', '106'], ['RCV.NXT', '301'], ['RTO', '6 s']]);
    expect(endNumbers('zh-CN', tcb, 3000)[0]).toEqual([t('zh-CN', 'board.iss'), '100']);
    expect(endNumbers('zh-CN', tcb, 3000, true)[0]).toEqual(['ISS', '100']);
    expect(endNumbers('zh-CN', tcb, 3000).at(-1)).toEqual(['RTO', '3 秒']);
    expect(endNumbers('en', tcb, undefined)).toHaveLength(4);
  });
});
