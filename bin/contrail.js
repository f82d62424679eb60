#!/usr/bin/env node
// The published entry point: runs the compiled CLI (`npm run build` produces dist/).
import { main } from '../dist/cli/main.js';

// A closed pipe (`contrail status | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await main(process.argv);
