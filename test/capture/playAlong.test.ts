// Play along's scoring: a card built for a hidden segment of a real Linux capture is right when it is the
// captured segment or the reference TCP's choice there, and a wrong one is explained by the game's referee in
// the numbering the player saw; each segment counts once in the score.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeCapture } from '../../shared/capture/judgeFile.ts';
import { addGuess, judgeGuess, NO_SCORE, numberBases } from '../../shared/capture/playAlong.ts';
import type { Card } from '../../shared/game/types.ts';

const DIR = path.join(import.meta.dirname, '..', 'captures');
const connectionOf = (name: string, profile: 'rfc' | 'linux' = 'rfc') =>
  judgeCapture(new Uint8Array(readFileSync(path.join(DIR, `${name}.pcap`))), { profile }).connections[0];
const card = (flags: string[], seq: number, ack: number | null, len = 0): Card => ({ kind: 'segment', flags, seq, ack, len }) as Card;

describe('Play along: judging a guess', () => {
  const abort = connectionOf('abort');

  it('the captured segment, in relative numbers, is right', () => {
    const syn = judgeGuess(abort, 0, card(['SYN'], 0, null), true);
    expect(syn).toMatchObject({ right: true, matched: 'real', refusal: null });
    expect(syn.explanation.en).toContain('A (client) sent');
    const synAck = judgeGuess(abort, 1, card(['SYN', 'ACK'], 0, 1), true);
    expect(synAck.right).toBe(true);
    // PSH is not significant, as in a game
    expect(judgeGuess(abort, 3, card(['ACK'], 1, 1, 5), true).right).toBe(true);
  });

  it('the same segment in absolute numbers is right when the replay shows absolute numbers, wrong when relative', () => {
    const real = abort.segments[1];
    expect(judgeGuess(abort, 1, card(['SYN', 'ACK'], real.seq, real.ack), false).right).toBe(true);
    expect(judgeGuess(abort, 1, card(['SYN', 'ACK'], real.seq, real.ack), true).right).toBe(false);
  });

  it('a wrong card gets the referee\'s explanation, with the numbers the player sees', () => {
    // the SYN-ACK acknowledging the client's ISS itself, not ISS + 1: the classic mistake
    const wrong = judgeGuess(abort, 1, card(['SYN', 'ACK'], 0, 0), true);
    expect(wrong.right).toBe(false);
    expect(wrong.refusal?.code).toBe('ACK_EQUALS_SEQ');
    expect(wrong.explanation.en).toContain('The ACK number must be 1, not 0');
    expect(wrong.explanation.zh).toContain('确认号应该是 1，而不是 0');
    expect(wrong.real).toMatchObject({ seq: 0, ack: 1 });
    const noAck = judgeGuess(abort, 2, card([], 1, null), true);
    expect(noAck.refusal?.code).toBe('MISSING_ACK_FLAG');
    // a card that cannot be read is wrong too, with the shape check's reason
    expect(judgeGuess(abort, 2, card(['ACK'], 1, null), true).refusal?.code).toBe('MALFORMED_CARD');
    expect(judgeGuess(abort, 2, { kind: 'call', call: 'close' }, true).refusal?.code).toBe('MALFORMED_CARD');
  });

  it('where Linux chose another allowed segment, both Linux\'s and the reference TCP\'s are right', () => {
    // the abort: Linux sends RST with ACK; RFC 9293's primary choice is a RST without ACK
    const last = abort.segments.length - 1;
    expect(abort.segments[last].verdict).toBe('allowed');
    const linux = judgeGuess(abort, last, card(['RST', 'ACK'], 6, 1), true);
    expect(linux).toMatchObject({ right: true, matched: 'real' });
    const rfc = judgeGuess(abort, last, card(['RST'], 6, null), true);
    expect(rfc).toMatchObject({ right: true, matched: 'reference' });
    expect(rfc.explanation.en).toContain('another allowed choice');
    expect(judgeGuess(abort, last, card(['FIN', 'ACK'], 6, 1), true).right).toBe(false);
  });

  it('reads each end\'s zero back from the judged segments', () => {
    const bases = numberBases(abort);
    expect(bases.A).toBe(abort.segments[0].seq);
    expect(bases.B).toBe(abort.segments[1].seq);
  });
});

describe('Play along: the score', () => {
  it('counts right answers out of the segments guessed, each segment once', () => {
    let score = NO_SCORE;
    score = addGuess(score, 0, true);
    score = addGuess(score, 1, false);
    expect(score).toMatchObject({ right: 1, total: 2 });
    // guessed again after stepping back: no second count
    score = addGuess(score, 1, true);
    expect(score).toMatchObject({ right: 1, total: 2 });
    score = addGuess(score, 2, true);
    expect(score).toMatchObject({ right: 2, total: 3, guessed: [0, 1, 2] });
    expect(NO_SCORE).toMatchObject({ right: 0, total: 0, guessed: [] });
  });
});
