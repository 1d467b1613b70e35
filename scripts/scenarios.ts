// npm run --silent scenarios -- FILE [FILE…] [--json] [--strict] [--profile rfc|linux]
// Runs every scenario of each file through the reference TCP and prints, step by step, what was emitted and
// each end's state, marking each step that differs from the file. Exits 1 if any step differs.
// --strict also fails on the optional checks (response category, error, signal).
// --profile linux runs the engine's Linux profile: a step agrees with the file's primary or an alternative.

import { readFileSync } from 'node:fs';
import { reportsToJson, runScenarioFile, type ScenarioFile, type ScenarioReport } from '../shared/tcp/scenario.ts';
import { TCP_PROFILES, type TcpProfile } from '../shared/tcp/types.ts';

const USAGE = 'usage: npm run --silent scenarios -- FILE [FILE…] [--json] [--strict] [--profile rfc|linux]';
const args = process.argv.slice(2);
const json = args.includes('--json');
const strict = args.includes('--strict');
const profileAt = args.indexOf('--profile');
const profile = profileAt >= 0 ? args[profileAt + 1] : 'rfc';
if (!(TCP_PROFILES as readonly string[]).includes(profile)) {
  console.error(`--profile must be rfc or linux, not ${JSON.stringify(profile ?? '')}\n${USAGE}`);
  process.exit(2);
}
const files = args.filter((arg, i) => !arg.startsWith('--') && !(profileAt >= 0 && i === profileAt + 1));
if (files.length === 0) {
  console.error(USAGE);
  process.exit(2);
}

const reports: ScenarioReport[] = [];
for (const file of files) {
  let parsed: ScenarioFile;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as ScenarioFile;
  } catch (error) {
    console.error(`${file}: cannot read scenarios: ${(error as Error).message}`);
    process.exit(2);
  }
  reports.push(...runScenarioFile(parsed, profile as TcpProfile));
}

const failed = (report: ScenarioReport) =>
  !report.passed || (strict && report.steps.some((step) => step.warnings.length > 0));

if (json) {
  process.stdout.write(`${JSON.stringify(reportsToJson(reports))}\n`);
} else {
  for (const report of reports) {
    console.log(`${failed(report) ? 'FAIL' : 'ok  '} ${report.id}${report.name ? ` ${report.name}` : ''}`);
    for (const step of report.steps) {
      const emits = step.emits.length
        ? step.emits.map((e) => `${e.id} ${e.flags.join(',')} seq=${e.seq} ack=${e.ack ?? '-'} len=${e.len}`).join('; ')
        : '-';
      const mark = step.differences.length ? 'x' : step.warnings.length ? '~' : ' ';
      const alt = typeof step.matched === 'number' ? ` (alternative ${step.matched + 1})` : '';
      console.log(`  ${mark} ${String(step.step).padStart(2)}  A=${step.states.A.padEnd(12)} B=${step.states.B.padEnd(12)} ${step.response ?? ''}  emits: ${emits}${alt}`);
      for (const difference of [...step.differences, ...step.warnings]) console.log(`       ${difference}`);
    }
    for (const difference of report.finalDifferences) console.log(`  x final: ${difference}`);
  }
  const passed = reports.filter((report) => !failed(report)).length;
  console.log(`${passed} passed, ${reports.length - passed} failed`);
}
process.exit(reports.some(failed) ? 1 : 0);
