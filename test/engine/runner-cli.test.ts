// The scenario runner as a newcomer uses it: `npm run --silent scenarios -- FILE [--json]`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const basics = join(root, 'test', 'scenarios', 'rfc9293-basics.json');
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(root, 'scripts', 'scenarios.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('scenario runner command', () => {
  it('prints one JSON object with the engine\'s emits (ids by the rule) and RFC state names, and exits 0', () => {
    const result = run(basics, '--json');
    expect(result.status).toBe(0);
    const output = JSON.parse(result.stdout) as { scenarios: { id: string; steps: { step: number; emits: unknown[]; states: object; response?: string }[] }[] };
    expect(output.scenarios.map((s) => s.id)).toEqual(['T01', 'T02', 'C01', 'C02', 'C04', 'O01', 'O02', 'R01', 'I01', 'L01']);
    expect(output.scenarios[0].steps[1]).toMatchObject({
      step: 2,
      emits: [{ id: 'a1', from: 'A', to: 'B', flags: ['SYN'], seq: 100, ack: null, len: 0 }],
      states: { A: 'SYN-SENT', B: 'LISTEN' },
      response: 'accept',
    });
  }, 30000);

  it('marks a step that differs and exits 1', () => {
    const file = JSON.parse(readFileSync(basics, 'utf8'));
    file.scenarios = [file.scenarios[0]];
    file.scenarios[0].steps[2].emits[0].ack = 100; // the seed's mistake: ACK = SEQ
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(file));
    const result = run(broken);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL T01');
    expect(result.stdout).toMatch(/x\s+3 .*\n\s+emits ACK,SYN seq=300 ack=101 len=0, expected ACK,SYN seq=300 ack=100 len=0/);
    expect(result.stdout).toContain('0 passed, 1 failed');
  }, 30000);

  it('--profile linux: a step where Linux makes another conformant choice is reported as "differs under linux (expected)", not a failure, and the later steps are still checked', () => {
    const rst = join(root, 'test', 'scenarios', 'rst.json');
    const result = run(rst, '--profile', 'linux');
    expect(result.status).toBe(0);
    // R04: the abort's RST; Linux sets ACK (not listed in the file), the file's primary is RFC 9293's
    expect(result.stdout).toContain('diff R04 ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST> — differs under linux (expected)');
    expect(result.stdout).toMatch(/≈\s+3 .*emits: a2 RST seq=111 ack=- len=0\n\s+differs under linux \(expected\): emits ACK,RST seq=111 ack=301 len=0, A=CLOSED B=ESTABLISHED \(not listed in the file\)/);
    expect(result.stdout).toMatch(/\d+ passed, 0 failed \(\d+ of the passed differ under linux, expected\)/);
    // a Linux choice the file lists as an alternative is named as such (W03: the SYN accepted in TIME-WAIT)
    const timewait = run(join(root, 'test', 'scenarios', 'timewait.json'), '--profile', 'linux');
    expect(timewait.status).toBe(0);
    expect(timewait.stdout).toMatch(/≈\s+8 .*\n\s+differs under linux \(expected\): emits ACK,SYN seq=500 ack=1001 len=0, A=SYN-SENT B=SYN-RECEIVED \(the file's alternative 1\)/);
    // the rest of W03 follows the file's trace and every step agrees with it
    expect(timewait.stdout).toMatch(/ {4}14 {2}A=ESTABLISHED {2}B=ESTABLISHED/);
    // the same file under the rfc profile has no such step
    expect(run(rst).stdout).not.toContain('differs under');
  }, 60000);

  it('--profile linux still fails a step the rfc profile gets wrong too (a mistake in the file is no profile difference)', () => {
    const file = JSON.parse(readFileSync(join(root, 'test', 'scenarios', 'rst.json'), 'utf8'));
    const r04 = file.scenarios.find((s: { id: string }) => s.id === 'R04');
    r04.steps[2].emits[0].seq = 999; // neither profile sends this
    file.scenarios = [r04];
    const dir = mkdtempSync(join(tmpdir(), 'scenarios-'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify(file));
    const result = run(broken, '--profile', 'linux');
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('FAIL R04');
    expect(result.stdout).not.toContain('differs under linux');
  }, 30000);
});
