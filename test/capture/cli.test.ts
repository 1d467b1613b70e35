// `npm run --silent capture -- FILE [--connection N] [--profile rfc|linux] [--json]` as a person runs it:
// the verdicts, the exit status (1 if any segment is wrong, 2 if the file cannot be judged), and bad input
// answered in both languages.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, ftruncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gameToPcapng } from '../../shared/capture/fromGame.ts';
import { playedGame } from './games.ts';

const root = join(import.meta.dirname, '..', '..');
const captures = join(root, 'test', 'captures');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'capture.ts'), ...args], { cwd: root, encoding: 'utf8', timeout: 60_000 });
const dir = mkdtempSync(join(tmpdir(), 'handshake-capture-cli-'));

describe('the capture command', () => {
  it('--json: every TCP packet once, raw numbers, verdicts with en/zh explanations; exit 0 when nothing is wrong', () => {
    const result = run(join(captures, 'abort.pcap'), '--json');
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.connections).toHaveLength(1);
    const [connection] = output.connections;
    expect(connection.client).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(connection.server).toBe('127.0.0.1:47007');
    expect(connection.segments.map((s: { n: number }) => s.n)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(connection.segments[0]).toMatchObject({ n: 1, from: 'A', flags: ['SYN'], ack: null, len: 0, verdict: 'expected' });
    expect(connection.segments[0].seq).toBeGreaterThan(1000); // raw, not relative
    expect(connection.segments[5]).toMatchObject({ flags: ['ACK', 'RST'], verdict: 'allowed', rule: 'RFC 9293 §3.10.5' });
    expect(connection.segments[5].explanation.en).toContain('Linux');
    expect(connection.segments[5].explanation.zh).toContain('Linux');
    expect(Object.keys(connection.segments[0]).sort()).toEqual(['ack', 'explanation', 'flags', 'from', 'len', 'n', 'rule', 'seq', 'verdict'].sort());
  }, 60_000);

  it('--profile linux expects what Linux does; text output marks each segment', () => {
    const result = run(join(captures, 'abort.pcap'), '--profile', 'linux');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('profile linux');
    expect(result.stdout).toMatch(/6 expected, 0 allowed, 0 wrong/);
  }, 60_000);

  it('exits 1 when a segment is wrong, and says which rule and what the right segment was', () => {
    const game = playedGame({ policy: { A: { kind: 'erring', errorRate: 0.5 }, B: { kind: 'correct' } }, seed: 5, difficulty: 'hard' });
    const file = join(dir, 'hard.pcapng');
    writeFileSync(file, gameToPcapng(game, { language: 'en', startMs: 0 }));
    const result = run(file);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^x +\d+ A→B/m);
    expect(result.stdout).toContain('reference TCP would send');
    expect(result.stdout).toContain('参考 TCP');
  }, 60_000);

  it('bad input: a clear message in both languages and exit 2, never a stack trace', () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'these are my notes, not a capture\n');
    const huge = join(dir, 'huge.pcap');
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, 65 * 1024 * 1024); // sparse: the size is over the limit, nothing is written
    closeSync(fd);
    const cases: Array<[string[], RegExp, RegExp]> = [
      [[text], /not a capture file/, /不是抓包文件/],
      [[huge], /too large: 65 MiB, and the limit is 64 MiB/, /文件太大/],
      [[join(captures, 'abort.pcap'), '--connection', '3'], /no connection 3/, /没有第 3 个连接/],
      [[join(dir, 'missing.pcap')], /cannot read the file/, /无法读取/],
      [[join(captures, 'abort.pcap'), '--profile', 'bsd'], /--profile must be rfc or linux/, /usage/],
    ];
    for (const [args, en, zh] of cases) {
      const result = run(...args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(en);
      expect(result.stderr).toMatch(zh);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
  }, 120_000);
});

describe('the scenario runner with --profile linux', () => {
  it('runs the engine\'s Linux profile: the Linux RST of an abort is reported as the file\'s alternative, differing as expected', () => {
    const file = join(dir, 'abort.json');
    const rst = { id: 'a2', from: 'A', to: 'B', flags: ['RST'], seq: 101, ack: null, len: 0 };
    const initial = { A: { state: 'ESTABLISHED', iss: 100, irs: 300 }, B: { state: 'ESTABLISHED', iss: 300, irs: 100 } };
    const step = {
      step: 1,
      event: { type: 'app', at: 'A', call: 'abort' },
      emits: [rst],
      expect: { A: 'CLOSED', B: 'ESTABLISHED' },
      alternatives: [{ who: 'Linux', emits: [{ ...rst, flags: ['ACK', 'RST'], ack: 301 }] }],
    };
    writeFileSync(file, JSON.stringify({ scenarios: [{ id: 'X1', initial, steps: [step] }] }));
    const scenarios = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenarios.ts'), ...args], { cwd: root, encoding: 'utf8' });
    const linux = JSON.parse(scenarios(file, '--json', '--profile', 'linux').stdout);
    expect(linux.scenarios[0].passed).toBe(true);
    // the step differs from the file's primary as Linux does, and the file lists it: alternative 1
    expect(linux.scenarios[0].differsUnder).toBe('linux');
    expect(linux.scenarios[0].steps[0].profileDifference).toMatchObject({ profile: 'linux', emits: [{ flags: ['ACK', 'RST'], ack: 301 }], alternative: 1 });
    // the trace goes on as the file wrote it
    expect(linux.scenarios[0].steps[0].emits[0]).toMatchObject({ flags: ['RST'], ack: null });
    const rfc = JSON.parse(scenarios(file, '--json').stdout);
    expect(rfc.scenarios[0].steps[0].emits[0]).toMatchObject({ flags: ['RST'], ack: null });
    expect(scenarios(file, '--profile', 'bsd').status).toBe(2);
  }, 60_000);
});
