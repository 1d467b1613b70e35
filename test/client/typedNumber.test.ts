import { describe, expect, it } from 'vitest';
import { readTypedNumber, stepNumber } from '../../client/src/ui/typedNumber.ts';

describe('a number typed into the segment builder', () => {
  it('wraps a sequence number past 2^32 − 1 modulo 2^32, and says it did', () => {
    expect(readTypedNumber('4294967295', true)).toEqual({ kind: 'number', value: 4294967295 });
    expect(readTypedNumber('4294967296', true)).toEqual({ kind: 'wrapped', value: 0, typed: '4294967296' });
    expect(readTypedNumber('4294967397', true)).toEqual({ kind: 'wrapped', value: 101, typed: '4294967397' });
    // exactly, however long: 10^20 mod 2^32 = 1661992960
    expect(readTypedNumber('100000000000000000000', true)).toEqual({ kind: 'wrapped', value: 1661992960, typed: '100000000000000000000' });
  });

  it('keeps anything else as typed, for the referee to explain', () => {
    expect(readTypedNumber(' 101 ', true)).toEqual({ kind: 'number', value: 101 });
    expect(readTypedNumber('-1', true)).toEqual({ kind: 'number', value: -1 });
    expect(readTypedNumber('1.5', false)).toEqual({ kind: 'number', value: 1.5 });
    expect(readTypedNumber('70000', false)).toEqual({ kind: 'number', value: 70000 });
    expect(readTypedNumber('', true)).toEqual({ kind: 'empty' });
    expect(readTypedNumber('1e400', true)).toEqual({ kind: 'unreadable' });
  });

  it('steps sequence numbers around the circle, and a length down to 0', () => {
    expect(stepNumber(4294967295, 1, true)).toBe(0);
    expect(stepNumber(0, -1, true)).toBe(4294967295);
    expect(stepNumber(100, 1, true)).toBe(101);
    expect(stepNumber(0, -1, false)).toBe(0);
    expect(stepNumber(5, 1, false)).toBe(6);
  });
});
