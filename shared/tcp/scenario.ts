// The scenario runner: plays a scenario file (format "tcp-scenarios v1", test/scenarios/SCHEMA.md) through
// the reference TCP and compares every step with the file. Pure: the command-line wrapper does the I/O.

import { step } from './reference.ts';
import { canonicalFlags, sameSegment, significantFlags } from './segment.ts';
import { tcbFromInitial, type InitialTcb } from './tcb.ts';
import { assignSegmentId, type IdCounters } from './ids.ts';
import {
  TCP_STATES,
  type AppCall,
  type EndId,
  type Flag,
  type Reaction,
  type Segment,
  type SegmentFields,
  type StepOutcome,
  type Tcb,
  type TcpProfile,
  type TcpState,
  type TimerKind,
} from './types.ts';

export const DEFAULT_ISS: Record<EndId, number> = { A: 100, B: 300 };

export interface ScenarioSegment {
  id: string;
  from: EndId;
  to: EndId;
  flags: Flag[];
  seq: number;
  ack: number | null;
  len: number;
}

export type ScenarioEvent =
  | { type: 'app'; at: EndId; call: AppCall; iss?: number; len?: number; defer?: boolean }
  | { type: 'deliver'; at: EndId; segment: string; iss?: number; ack_policy?: 'delay' | 'immediate' }
  | { type: 'inject'; at: EndId; segment: ScenarioSegment; origin?: string; legal_move?: boolean; referee?: string; iss?: number; ack_policy?: 'delay' | 'immediate' }
  | { type: 'net'; action: 'drop' | 'duplicate' | 'delay'; segment: string }
  | { type: 'timer'; at: EndId; timer: TimerKind };

export interface ScenarioAlternative {
  who?: string;
  emits?: ScenarioSegment[];
  expect?: Partial<Record<EndId, TcpState>>;
  note?: string;
}

export interface ScenarioStep {
  step: number;
  event: ScenarioEvent;
  emits?: ScenarioSegment[];
  expect?: Partial<Record<EndId, TcpState>>;
  response?: Reaction;
  signal?: Partial<Record<EndId, string>> | string;
  error?: string;
  alternatives?: ScenarioAlternative[];
}

export interface Scenario {
  id: string;
  name?: string;
  initial: Record<EndId, InitialTcb>;
  steps: ScenarioStep[];
  final?: Partial<Record<EndId, Partial<InitialTcb>>>;
}

export interface ScenarioFile {
  schema?: string;
  scenarios: Scenario[];
}

export interface StepReport {
  step: number;
  emits: Segment[];
  states: Record<EndId, TcpState>;
  response: Reaction | null;
  signal?: string;
  error?: string;
  /** empty when the step agrees with the file (its primary behaviour or a listed alternative) */
  differences: string[];
  /** disagreements in the optional checks (response, signal, error category) */
  warnings: string[];
  /** which expectation matched: 'primary', an alternative's index, or null */
  matched: 'primary' | number | null;
  /**
   * Run with another profile than rfc: this step is where that profile makes another conformant choice than
   * the file's primary (RFC 9293's, which the rfc profile makes here). What the profile did, and which of the
   * file's alternatives it is (null: none listed). The trace then goes on as the file wrote it.
   */
  profileDifference?: { profile: TcpProfile; emits: SegmentFields[]; states: Record<EndId, TcpState>; alternative: number | null };
}

export interface ScenarioReport {
  id: string;
  name?: string;
  steps: StepReport[];
  finalDifferences: string[];
  passed: boolean;
  /** the profile it was run with differs from the file's primary at some step (each such step says how) */
  differsUnder: TcpProfile | null;
}

/** Two lists of segments agree as multisets (flags as sets, PSH/URG ignored; seq, ack, len). */
export function sameEmits(actual: SegmentFields[], expected: SegmentFields[]): boolean {
  if (actual.length !== expected.length) return false;
  const left = [...expected];
  for (const segment of actual) {
    const index = left.findIndex((candidate) => sameSegment(segment, normalizeExpected(candidate)));
    if (index < 0) return false;
    left.splice(index, 1);
  }
  return true;
}

function normalizeExpected(segment: SegmentFields): SegmentFields {
  return { flags: significantFlags(segment.flags), seq: segment.seq >>> 0, ack: segment.ack, len: segment.len ?? 0 };
}

function statesAgree(actual: Record<EndId, TcpState>, expected: Partial<Record<EndId, TcpState>> | undefined): boolean {
  if (!expected) return true;
  return (['A', 'B'] as const).every((end) => expected[end] === undefined || normalizeState(expected[end] as string) === actual[end]);
}

/** Linux and lecture-note spellings map 1:1 to RFC 9293's: SYN_RECV, FIN_WAIT1, FIN_WAIT_1, … */
export function normalizeState(name: string): TcpState | string {
  const upper = name.trim().toUpperCase().replace(/_/g, '-');
  const aliases: Record<string, TcpState> = {
    'SYN-RECV': 'SYN-RECEIVED',
    'SYN-RCVD': 'SYN-RECEIVED',
    'FIN-WAIT1': 'FIN-WAIT-1',
    'FIN-WAIT2': 'FIN-WAIT-2',
    ESTAB: 'ESTABLISHED',
  };
  if (aliases[upper]) return aliases[upper];
  return (TCP_STATES as readonly string[]).includes(upper) ? (upper as TcpState) : name;
}

function describe(segments: SegmentFields[]): string {
  if (segments.length === 0) return '[]';
  return segments
    .map((s) => `${canonicalFlags(s.flags).join(',')} seq=${s.seq} ack=${s.ack === null ? '-' : s.ack} len=${s.len}`)
    .join(' | ');
}

function signalText(signal: ScenarioStep['signal'], end: EndId): string | undefined {
  if (signal === undefined) return undefined;
  return typeof signal === 'string' ? signal : signal[end];
}

/**
 * Run one scenario; never throws on a malformed step (it is reported as a difference instead). With the
 * `linux` profile a step agrees when the engine's answer is the file's primary or one of its alternatives.
 */
export function runScenario(scenario: Scenario, profile: TcpProfile = 'rfc'): ScenarioReport {
  const tcbs: Record<EndId, Tcb> = {
    A: tcbFromInitial(scenario.initial?.A ?? { state: 'CLOSED' }),
    B: tcbFromInitial(scenario.initial?.B ?? { state: 'CLOSED' }),
  };
  const known = new Map<string, Segment>();
  const history: Segment[] = [];
  const counters: IdCounters = { A: 0, B: 0 };
  const steps: StepReport[] = [];

  for (const [index, expected] of (scenario.steps ?? []).entries()) {
    const event = expected.event;
    const differences: string[] = [];
    const warnings: string[] = [];
    let emits: Segment[] = [];
    let response: Reaction | null = null;
    let signal: string | undefined;
    let error: string | undefined;
    let actor: EndId | null = null;

    const apply = (at: EndId, outcome: StepOutcome) => {
      tcbs[at] = outcome.tcb;
      actor = at;
      response = outcome.reaction;
      signal = outcome.signal;
      error = outcome.error;
      emits = outcome.emits.map((fields) => {
        const segment = assignSegmentId(history, counters, at, fields);
        if (!known.has(segment.id) || history.every((h) => h.id !== segment.id)) known.set(segment.id, segment);
        if (!history.some((h) => h.id === segment.id)) history.push(segment);
        return segment;
      });
    };

    /** What the event does with a profile, from the ends as they are now (nothing is changed yet). */
    const outcomeWith = (p: TcpProfile): { at: EndId; outcome: StepOutcome } | null => {
      switch (event?.type) {
        case 'app':
          return { at: event.at, outcome: step(tcbs[event.at], { type: 'app', call: event.call, iss: event.iss ?? DEFAULT_ISS[event.at], len: event.len, defer: event.defer }, p) };
        case 'deliver': {
          const segment = known.get(event.segment);
          if (!segment) return null;
          const at = event.at ?? segment.to;
          return { at, outcome: step(tcbs[at], { type: 'segment', segment, iss: event.iss ?? DEFAULT_ISS[at], ackPolicy: event.ack_policy }, p) };
        }
        case 'inject': {
          const injected = { ...event.segment, flags: canonicalFlags(event.segment.flags), len: event.segment.len ?? 0 };
          known.set(injected.id, injected);
          const at = event.at ?? injected.to;
          return { at, outcome: step(tcbs[at], { type: 'segment', segment: injected, iss: event.iss ?? DEFAULT_ISS[at], ackPolicy: event.ack_policy }, p) };
        }
        case 'timer':
          return { at: event.at, outcome: step(tcbs[event.at], { type: 'timer', timer: event.timer }, p) };
        default:
          return null;
      }
    };
    const statesAfter = (run: { at: EndId; outcome: StepOutcome }) => ({ A: tcbs.A.state, B: tcbs.B.state, [run.at]: run.outcome.tcb.state }) as Record<EndId, TcpState>;
    /** Which of the step's expectations an outcome meets: the primary, an alternative, or none. */
    const matchOf = (emitted: SegmentFields[], after: Record<EndId, TcpState>): StepReport['matched'] => {
      if (sameEmits(emitted, expected.emits ?? []) && statesAgree(after, expected.expect)) return 'primary';
      const alt = (expected.alternatives ?? []).findIndex(
        (alternative) => sameEmits(emitted, alternative.emits ?? expected.emits ?? []) && statesAgree(after, alternative.expect ?? expected.expect),
      );
      return alt >= 0 ? alt : null;
    };

    let run = outcomeWith(profile);
    let profileDifference: StepReport['profileDifference'];
    if (run && profile !== 'rfc') {
      const own = matchOf(run.outcome.emits, statesAfter(run));
      if (own !== 'primary') {
        // Where the file's primary is RFC 9293's choice and this profile picks another, that is the profile
        // doing what it is for, not a fault: say how it differs, and go on along the file's trace (the rfc
        // outcome), so that every later step is still checked against what the file expects there.
        const rfc = outcomeWith('rfc');
        if (rfc && matchOf(rfc.outcome.emits, statesAfter(rfc)) === 'primary') {
          profileDifference = { profile, emits: run.outcome.emits, states: statesAfter(run), alternative: own };
          run = rfc;
        }
      }
    }
    if (run) apply(run.at, run.outcome);
    else if (event?.type === 'deliver') differences.push(`segment ${event.segment} was never emitted`);
    // Loss, duplication and delay ('net') change no end: the file says by its later deliver events what arrives.
    else if (event?.type !== 'net') differences.push(`unknown event type ${JSON.stringify((event as { type?: unknown })?.type)}`);

    const states = { A: tcbs.A.state, B: tcbs.B.state };
    const matched: StepReport['matched'] = differences.length === 0 ? matchOf(emits, states) : null;
    if (matched === null && differences.length === 0) {
      if (!sameEmits(emits, expected.emits ?? [])) {
        differences.push(`emits ${describe(emits)}, expected ${describe(expected.emits ?? [])}`);
      }
      if (!statesAgree(states, expected.expect)) {
        differences.push(`states A=${states.A} B=${states.B}, expected A=${expected.expect?.A} B=${expected.expect?.B}`);
      }
    }
    if (matched === 'primary') {
      if (expected.response !== undefined && expected.response !== response) {
        warnings.push(`response ${response}, expected ${expected.response}`);
      }
      if (expected.error !== undefined && !(error && expected.error.includes(error))) {
        warnings.push(`error ${error ?? 'none'}, expected ${expected.error}`);
      }
      const expectedSignal = actor ? signalText(expected.signal, actor) : undefined;
      if (expectedSignal !== undefined && !(signal && expectedSignal.startsWith(signal))) {
        warnings.push(`signal ${signal ?? 'none'}, expected ${expectedSignal}`);
      }
    }
    steps.push({ step: expected.step ?? index + 1, emits, states, response, signal, error, differences, warnings, matched, ...(profileDifference ? { profileDifference } : {}) });
  }

  const finalDifferences: string[] = [];
  for (const end of ['A', 'B'] as const) {
    const want = scenario.final?.[end];
    if (!want) continue;
    const tcb = tcbs[end];
    const have: Record<string, unknown> = {
      state: tcb.state,
      iss: tcb.iss,
      irs: tcb.irs,
      snd_una: tcb.sndUna,
      snd_nxt: tcb.sndNxt,
      rcv_nxt: tcb.rcvNxt,
      rcv_wnd: tcb.rcvWnd,
    };
    for (const [key, value] of Object.entries(want)) {
      if (key in have && have[key] !== (key === 'state' ? normalizeState(String(value)) : value)) {
        finalDifferences.push(`final ${end}.${key} = ${String(have[key])}, expected ${String(value)}`);
      }
    }
  }

  const passed = finalDifferences.length === 0 && steps.every((s) => s.differences.length === 0);
  const differsUnder = steps.some((s) => s.profileDifference) ? profile : null;
  return { id: scenario.id, name: scenario.name, steps, finalDifferences, passed, differsUnder };
}

export function runScenarioFile(file: ScenarioFile, profile: TcpProfile = 'rfc'): ScenarioReport[] {
  return (file.scenarios ?? []).map((scenario) => runScenario(scenario, profile));
}

/** The `--json` form: emitted segments as the engine computed them, states spelled as in RFC 9293. */
export function reportsToJson(reports: ScenarioReport[]): object {
  return {
    scenarios: reports.map((report) => ({
      id: report.id,
      passed: report.passed,
      ...(report.differsUnder ? { differsUnder: report.differsUnder } : {}),
      steps: report.steps.map((s) => ({
        step: s.step,
        emits: s.emits.map((e) => ({ id: e.id, from: e.from, to: e.to, flags: canonicalFlags(e.flags), seq: e.seq, ack: e.ack, len: e.len })),
        states: s.states,
        ...(s.response ? { response: s.response } : {}),
        ...(s.signal ? { signal: s.signal } : {}),
        ...(s.error ? { error: s.error } : {}),
        ...(s.differences.length ? { differences: s.differences } : {}),
        ...(s.profileDifference
          ? {
              profileDifference: {
                profile: s.profileDifference.profile,
                emits: s.profileDifference.emits.map((e) => ({ flags: canonicalFlags(e.flags), seq: e.seq, ack: e.ack, len: e.len })),
                states: s.profileDifference.states,
                alternative: s.profileDifference.alternative === null ? null : s.profileDifference.alternative + 1,
              },
            }
          : {}),
      })),
    })),
  };
}
