import { defineRunE2e } from './run-e2e-suite.js';

defineRunE2e();
