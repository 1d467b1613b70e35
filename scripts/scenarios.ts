// npm run --silent scenarios -- FILE [FILE…] [--json] [--strict] [--profile rfc|linux]
// Runs every scenario of each file through the reference TCP and prints, step by step, what was emitted and
// each end's state, marking each step that differs from the file. Exits 1 if any step differs.
// --strict also fails on the optional checks (response category, error, signal).
// --profile linux runs the engine's Linux profile. A step where Linux makes another conformant choice than the
// file's primary (which is RFC 9293's: the rfc profile makes it there) is reported as "differs under linux
// (expected)", with what Linux sent and whether the file lists it as an alternative, not as a failure; the run
// then goes on along the file's trace, so every later step is still checked (test/scenarios/SCHEMA.md).

import { readFileSync } from 'node:fs';
import { reportsToJson, runScenarioFile, type ScenarioFile, type ScenarioReport } from '../shared/tcp/scenario.ts';
import { TCP_PROFILES, type SegmentFields, type TcpProfile } from '../shared/tcp/types.ts';

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

const describeSegments = (segments: SegmentFields[]) =>
  segments.length ? segments.map((e) => `${e.flags.join(',')} seq=${e.seq} ack=${e.ack ?? '-'} len=${e.len}`).join('; ') : 'nothing';

const failed = (report: ScenarioReport) =>
  !report.passed || (strict && report.steps.some((step) => step.warnings.length > 0));

if (json) {
  process.stdout.write(`${JSON.stringify(reportsToJson(reports))}\n`);
} else {
  for (const report of reports) {
    const differs = report.differsUnder && !failed(report) ? ` — differs under ${report.differsUnder} (expected)` : '';
    console.log(`${failed(report) ? 'FAIL' : differs ? 'diff' : 'ok  '} ${report.id}${report.name ? ` ${report.name}` : ''}${differs}`);
    for (const step of report.steps) {
      const emits = step.emits.length
        ? step.emits.map((e) => `${e.id} ${e.flags.join(',')} seq=${e.seq} ack=${e.ack ?? '-'} len=${e.len}`).join('; ')
        : '-';
      const mark = step.differences.length ? 'x' : step.profileDifference ? '≈' : step.warnings.length ? '~' : ' ';
      const alt = typeof step.matched === 'number' ? ` (alternative ${step.matched + 1})` : '';
      console.log(`  ${mark} ${String(step.step).padStart(2)}  A=${step.states.A.padEnd(12)} B=${step.states.B.padEnd(12)} ${step.response ?? ''}  emits: ${emits}${alt}`);
      const p = step.profileDifference;
      if (p) {
        const listed = p.alternative === null ? 'not listed in the file' : `the file's alternative ${p.alternative + 1}`;
        console.log(`       differs under ${p.profile} (expected): emits ${describeSegments(p.emits)}, A=${p.states.A} B=${p.states.B} (${listed}); the file's primary is RFC 9293's choice`);
      }
      for (const difference of [...step.differences, ...step.warnings]) console.log(`       ${difference}`);
    }
    for (const difference of report.finalDifferences) console.log(`  x final: ${difference}`);
  }
  const passed = reports.filter((report) => !failed(report)).length;
  const differing = reports.filter((report) => report.differsUnder && !failed(report)).length;
  console.log(`${passed} passed, ${reports.length - passed} failed${differing ? ` (${differing} of the passed differ under ${profile}, expected)` : ''}`);
}
process.exit(reports.some(failed) ? 1 : 0);
