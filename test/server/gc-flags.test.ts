// The Node flags npm start gives the server (server/gcFlags.ts says why each one).
import { describe, expect, it } from 'vitest';
import { DEFAULT_YOUNG_MB, MAX_YOUNG_MB, gcFlagsFor, youngMbFrom } from '../../server/gcFlags.ts';

describe('the server GC flags', () => {
  it('fix the young generation, and on one core keep the collector on the main thread', () => {
    const young = [`--min-semi-space-size=${DEFAULT_YOUNG_MB}`, `--max-semi-space-size=${DEFAULT_YOUNG_MB}`];
    expect(gcFlagsFor(1)).toEqual([...young, '--single-threaded-gc']);
    expect(gcFlagsFor(2)).toEqual(young);
    expect(gcFlagsFor(8, 16)).toEqual(['--min-semi-space-size=16', '--max-semi-space-size=16']);
    expect(gcFlagsFor(1, 0)).toEqual(['--single-threaded-gc']); // 0: V8 sizes it itself
  });

  it('take the young generation size from GC_YOUNG_MB when it is a whole number', () => {
    expect(youngMbFrom({})).toBe(DEFAULT_YOUNG_MB);
    expect(youngMbFrom({ GC_YOUNG_MB: '16' })).toBe(16);
    expect(youngMbFrom({ GC_YOUNG_MB: ' 0 ' })).toBe(0);
    expect(youngMbFrom({ GC_YOUNG_MB: '100000' })).toBe(MAX_YOUNG_MB);
    for (const wrong of ['', 'big', '-5', '1.5', '16MB']) expect(youngMbFrom({ GC_YOUNG_MB: wrong })).toBe(DEFAULT_YOUNG_MB);
  });
});
