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
});
