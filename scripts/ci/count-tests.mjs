#!/usr/bin/env node
// Sums vitest JSON reports (and plain "name passed|failed" lines for script checks) into the one
// closing line CI is judged by: "tests: N passed, N failed". Vitest's own summary is not a line the
// landing check recognises, so every suite writes a JSON report and this adds them up. The same sums
// go first in the closing form of node's test runner (TAP comments), which that check does read, so
// a reader of either form sees how many tests ran; the plain line stays the last.
//
//   node scripts/ci/count-tests.mjs REPORT.json... [--checks FILE]
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--checks') {
    const file = args[++i];
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/ passed$/.test(line)) passed++;
      else if (/ failed$/.test(line)) failed++;
    }
    continue;
  }
  const file = args[i];
  if (!existsSync(file)) {
    // A suite that died before writing its report counts as one failure, never as zero tests.
    console.error(`count-tests: ${file} is missing: that suite did not finish`);
    failed++;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrors ?? 0);
  if (report.success === false && (report.numFailedTests ?? 0) === 0) failed++;
}
console.log(`# tests ${passed + failed}\n# pass ${passed}\n# fail ${failed}`);
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
