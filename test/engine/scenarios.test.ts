// Every scenario file under test/scenarios runs through the reference TCP and agrees with it step by step:
// emitted segments and both states (the primary behaviour or a listed alternative), and the response
// category, error and signal where the file gives them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type ScenarioFile } from '../../shared/tcp/scenario.ts';

const dir = join(import.meta.dirname, '..', 'scenarios');
const files = readdirSync(dir).filter((name) => name.endsWith('.json'));

describe('scenario files', () => {
  it('include the ten sample scenarios and more', () => {
    expect(files).toContain('rfc9293-basics.json');
    const total = files.reduce((n, f) => n + (JSON.parse(readFileSync(join(dir, f), 'utf8')) as ScenarioFile).scenarios.length, 0);
    expect(total).toBeGreaterThanOrEqual(10);
  });

  for (const file of files) {
    const parsed = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ScenarioFile;
    describe(file, () => {
      for (const scenario of parsed.scenarios) {
        it(`${scenario.id} ${scenario.name ?? ''}`, () => {
          const report = runScenario(scenario);
          const problems = report.steps.flatMap((s) => [...s.differences, ...s.warnings].map((d) => `step ${s.step}: ${d}`));
          expect([...problems, ...report.finalDifferences]).toEqual([]);
          expect(report.passed).toBe(true);
        });
      }
    });
  }
});
