// The level format ("handshake-level v1"): a superset of the scenario format's `initial` block, so a teacher
// can write a level as a data file. docs/levels.md describes it for people; this file checks it for machines.
// A file with a mistake is refused with messages that say where (`script.A[1].when.state: …`).

import { z } from 'zod';
import { FLAGS, TCP_PROFILES, TCP_STATES } from '../tcp/types.ts';
import type { InitialTcb } from '../tcp/tcb.ts';
import type { AppCall, Flag, TcpProfile, TcpState } from '../tcp/types.ts';
import type { LocalizedText, Seat } from '../game/types.ts';

export const LEVEL_FORMAT = 'handshake-level v1';

/** Goals a level can set; the game checks them after every move. */
export const GOAL_IDS = ['handshake', 'data', 'close', 'refused', 'reset', 'caught'] as const;
export type GoalId = (typeof GOAL_IDS)[number];

export const BOT_MISTAKES = ['ack-equals-seq', 'forgot-ack-flag', 'wrong-seq'] as const;
export type BotMistakeId = (typeof BOT_MISTAKES)[number];

const text = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
const seat = z.enum(['A', 'B']);
const state = z.enum(TCP_STATES);
const flag = z.enum(FLAGS);
const uint32 = z.number().int().min(0).max(0xffffffff);

const initialTcb = z
  .object({
    state,
    iss: uint32.optional(),
    irs: uint32.optional(),
    snd_una: uint32.optional(),
    snd_nxt: uint32.optional(),
    rcv_nxt: uint32.optional(),
    rcv_wnd: z.number().int().min(0).max(65535).optional(),
    passive: z.boolean().optional(),
    listener: z.boolean().optional(),
    autoread: z.boolean().optional(),
  })
  .strict();

/** Which segments a rule is about: from an end, with exactly these flags (PSH/URG aside), the nth such one. */
const segmentMatch = z
  .object({ from: seat, flags: z.array(flag).optional(), nth: z.number().int().min(1).default(1) })
  .strict();

const scriptedCall = z
  .object({
    call: z.enum(['listen', 'connect', 'send', 'close', 'abort']),
    data: z.string().min(1).max(64).optional(),
    /** the call is made only when all of these hold (by default: nothing on the wire and nothing owed) */
    when: z
      .object({
        state: state.optional(),
        peer: state.optional(),
        quiet: z.boolean().default(true),
        /** everything this end sent has been acknowledged */
        acked: z.boolean().optional(),
        goal: z.enum(GOAL_IDS).optional(),
      })
      .strict()
      .default({ quiet: true }),
  })
  .strict();

const wireSegment = z
  .object({
    id: z.string().regex(/^x\d+$/, 'ids of segments already on the wire are x1, x2, …'),
    from: seat,
    to: seat,
    flags: z.array(flag),
    seq: uint32,
    ack: uint32.nullable(),
    len: z.number().int().min(0).max(1000).default(0),
  })
  .strict();

const quizCard = z
  .object({
    question: text,
    choices: z.array(text).min(2).max(6),
    answer: z.number().int().min(0),
    explanation: text,
  })
  .strict();

export const levelSchema = z
  .object({
    format: z.literal(LEVEL_FORMAT),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
    chapter: z.number().int().min(1).max(20),
    order: z.number().int().min(1).max(999),
    title: text,
    mission: text,
    /** the end the player holds when playing alone; the bot plays the other */
    player: seat,
    initial: z.object({ A: initialTcb, B: initialTcb }).strict(),
    iss: z.object({ A: uint32.optional(), B: uint32.optional() }).strict().optional(),
    /** segments already on the wire when the level starts (an old duplicate SYN, a SYN crossing ours) */
    wire: z.array(wireSegment).default([]),
    goals: z.array(z.enum(GOAL_IDS)).min(1),
    /** the calls a correct player makes at each end, in order */
    script: z.object({ A: z.array(scriptedCall), B: z.array(scriptedCall) }).strict(),
    bot: z
      .object({
        kind: z.enum(['correct', 'erring']).default('correct'),
        /** deterministic mistakes: the bot's nth segment with these flags is built wrong, this way */
        mistakes: z.array(z.object({ match: segmentMatch.omit({ from: true }), mistake: z.enum(BOT_MISTAKES) }).strict()).default([]),
      })
      .strict()
      .default({ kind: 'correct', mistakes: [] }),
    network: z
      .array(z.object({ match: segmentMatch, action: z.enum(['drop', 'duplicate', 'delay']) }).strict())
      .default([]),
    difficulty: z.enum(['easy', 'normal', 'hard']).default('normal'),
    /** whose choices the reference TCP makes where RFC 9293 leaves one; unset: the room's (by default rfc) */
    profile: z.enum(TCP_PROFILES as [TcpProfile, ...TcpProfile[]]).optional(),
    hints: z.array(text).default([]),
    quiz: z.array(quizCard).default([]),
    /** the airport skin's dialogue: what the pilot and the tower say, line by line */
    story: z.array(z.object({ who: seat, line: text }).strict()).default([]),
  })
  .strict();

export type LevelFile = z.input<typeof levelSchema>;

export interface ScriptedCall {
  call: AppCall;
  data?: string;
  when: { state?: TcpState; peer?: TcpState; quiet: boolean; acked?: boolean; goal?: GoalId };
}

export interface SegmentMatch {
  from: Seat;
  flags?: Flag[];
  nth: number;
}

export interface Level {
  format: typeof LEVEL_FORMAT;
  id: string;
  chapter: number;
  order: number;
  title: LocalizedText;
  mission: LocalizedText;
  player: Seat;
  initial: Record<Seat, InitialTcb>;
  iss?: Partial<Record<Seat, number>>;
  wire: { id: string; from: Seat; to: Seat; flags: Flag[]; seq: number; ack: number | null; len: number }[];
  goals: GoalId[];
  data?: string;
  script: Record<Seat, ScriptedCall[]>;
  bot: { kind: 'correct' | 'erring'; mistakes: { match: Omit<SegmentMatch, 'from'>; mistake: BotMistakeId }[] };
  network: { match: SegmentMatch; action: 'drop' | 'duplicate' | 'delay' }[];
  difficulty: 'easy' | 'normal' | 'hard';
  profile?: TcpProfile;
  hints: LocalizedText[];
  quiz: { question: LocalizedText; choices: LocalizedText[]; answer: number; explanation: LocalizedText }[];
  story: { who: Seat; line: LocalizedText }[];
}

export type LevelLoad = { ok: true; level: Level } | { ok: false; errors: string[] };

function where(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** Check a level (parsed JSON) and say exactly where it is wrong. `source` names the file in messages. */
export function loadLevel(value: unknown, source = 'level'): LevelLoad {
  const parsed = levelSchema.safeParse(value);
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((issue) => `${source}: ${where(issue.path) || '(top level)'}: ${issue.message}`) };
  }
  const level = parsed.data as Level;
  const errors: string[] = [];
  level.quiz.forEach((card, i) => {
    if (card.answer >= card.choices.length) errors.push(`${source}: quiz[${i}].answer: ${card.answer} is not one of the ${card.choices.length} choices (counted from 0)`);
  });
  level.wire.forEach((segment, i) => {
    if (segment.from === segment.to) errors.push(`${source}: wire[${i}]: a segment goes from one end to the other`);
    if ((segment.ack === null) !== !segment.flags.includes('ACK')) errors.push(`${source}: wire[${i}].ack: null exactly when the ACK flag is not set`);
  });
  for (const end of ['A', 'B'] as const) {
    level.script[end].forEach((call, i) => {
      if (call.call === 'send' && !call.data) errors.push(`${source}: script.${end}[${i}].data: a send call needs the data it sends`);
    });
  }
  const sendsData = [...level.script.A, ...level.script.B].some((call) => call.call === 'send');
  if (level.goals.includes('data') && !sendsData) errors.push(`${source}: goals: "data" needs a send call in the script`);
  if (level.goals.includes('caught') && level.bot.kind !== 'erring') errors.push(`${source}: goals: "caught" needs bot.kind "erring" with a mistake to catch`);
  if (errors.length) return { ok: false, errors };
  const data = [...level.script.A, ...level.script.B].find((call) => call.call === 'send')?.data;
  return { ok: true, level: data ? { ...level, data } : level };
}
