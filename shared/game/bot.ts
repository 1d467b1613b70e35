// The bot's policy. A correct bot plays what a correct TCP plays. An erring bot, at a given rate, makes the
// mistakes students make, so that the player's end has to catch them (its TCP answers a wrong SYN-ACK with
// a RST, a wrong ACK number with an empty ACK, and so on).

import { hasFlag, significantFlagBits } from '../tcp/segment.ts';
import { seqAdd } from '../tcp/seq.ts';
import type { SegmentFields } from '../tcp/types.ts';
import { hintFor } from './game.ts';
import { missionOf, nextMissionCall } from './missions.ts';
import type { BotPolicy, Card, GameState, Seat } from './types.ts';

export type BotMistake = 'ack-equals-seq' | 'forgot-ack-flag' | 'wrong-seq' | 'close-too-early';

/** The mistakes that make sense for this segment. */
function mistakesFor(segment: SegmentFields): BotMistake[] {
  const mistakes: BotMistake[] = [];
  if (segment.ack !== null && !hasFlag(segment, 'RST')) mistakes.push('ack-equals-seq', 'forgot-ack-flag');
  mistakes.push('wrong-seq');
  return mistakes;
}

export function applyMistake(card: Card & { kind: 'segment' }, mistake: BotMistake): Card {
  switch (mistake) {
    case 'ack-equals-seq':
      // "Ack = Seq": acknowledges the number it received instead of the next one it expects.
      return { ...card, ack: card.ack === null ? null : seqAdd(card.ack, -1) };
    case 'forgot-ack-flag':
      return { ...card, flags: card.flags.filter((flag) => flag !== 'ACK'), ack: null };
    case 'wrong-seq':
      return { ...card, seq: seqAdd(card.seq, 1) };
    default:
      return card;
  }
}

/** The other end still owes the answer its TCP made to a wrong card this end sent. */
function awaitingAnswerToWrongCard(game: GameState, seat: Seat): boolean {
  const peer: Seat = seat === 'A' ? 'B' : 'A';
  const answers = game.answersToWrongCards[peer];
  return answers.length > 0 && answers.some((answer) => game.owed[peer].includes(answer));
}

/** The card the bot plays now at `seat`, or null when it has nothing to do (it waits for the peer). */
export function botCard(game: GameState, seat: Seat, policy: BotPolicy, random: () => number): Card | null {
  // After a wrong card, the bot waits for the other end's answer to it before it sends anything else (the
  // right segment it still owes): the player catches the mistake first, and the story stays in one order.
  if (awaitingAnswerToWrongCard(game, seat)) return null;
  const right = hintFor(game, seat);
  if (!right || policy.kind === 'correct') return right;
  const rate = Math.min(1, Math.max(0, policy.errorRate ?? 0.3));
  if (right.kind === 'call') {
    // Closing too early: the client hangs up before it has sent its data.
    const mission = nextMissionCall(game, seat);
    if (mission?.kind === 'call' && mission.call === 'send' && random() < rate) return { kind: 'call', call: 'close' };
    return right;
  }
  const scripted = missionOf(game).bot.mistakes;
  if (scripted.length > 0) {
    // A level's erring bot makes exactly the mistakes the level scripts, so every player meets them.
    for (const { match, mistake } of scripted) {
      const wants = match.flags ? significantFlagBits(match.flags) : significantFlagBits(right.flags);
      if (wants !== significantFlagBits(right.flags)) continue;
      const sent = game.timeline.filter(
        (entry) =>
          entry.kind === 'segment' && entry.segment.from === seat && !entry.duplicate && !entry.injected && significantFlagBits(entry.segment.flags) === wants,
      ).length;
      if (sent + 1 === match.nth) return applyMistake(right, mistake);
    }
    return right;
  }
  if (random() >= rate) return right;
  const choices = mistakesFor({ flags: right.flags, seq: right.seq, ack: right.ack, len: right.len });
  const mistake = choices[Math.floor(random() * choices.length) % choices.length];
  return applyMistake(right, mistake);
}
