// Prints vitest's JSON report as the plain line CI reads: "N passed, N failed".
// A missing report (the suite never ran) counts as one failure.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? 'reports/vitest.json';
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const failed = report.numFailedTests + (report.numRuntimeErrorTestSuites ?? 0);
  console.log(`${report.numPassedTests} passed, ${failed} failed`);
} catch (error) {
  console.log(`0 passed, 1 failed (no test report at ${file}: ${error.message})`);
}
