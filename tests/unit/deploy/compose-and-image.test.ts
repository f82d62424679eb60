import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  cliProblems,
  ENV_NAMES,
  flagValue,
  loadCompose,
  ROOT,
  type ComposeService,
} from './deploy-helpers.js';

/**
 * docker-compose.yml and the Dockerfile (no Docker engine here: the files are parsed and their
 * cross-references checked against the CLI and the environment schema).
 */

const compose = loadCompose();
const services = compose.services;
const contrail = Object.entries(services).filter(([, s]) => s.image === 'contrail:local');
const seconds = (duration: string | undefined) => {
  const match = /^(\d+)s$/.exec(duration ?? '');
  return match === null ? NaN : Number(match[1]);
};
/** The contrail command line of a service (the seed service wraps it in `sh -c`). */
const commandOf = (service: ComposeService): string[] => {
  if (service.entrypoint?.[0] === '/bin/sh') {
    const script = service.command?.[0] ?? '';
    const exec = /exec node bin\/contrail\.js (.+)$/.exec(script);
    return exec?.[1]?.split(' ') ?? [];
  }
  return service.command ?? [];
};

describe('the deployment checks themselves', () => {
  it('catch unknown commands, unknown options and missing values', () => {
    expect(cliProblems(['worker', '--health-port', '8080'])).toEqual([]);
    expect(cliProblems(['wrk'])).toEqual(['unknown command wrk']);
    expect(cliProblems(['worker', '--healthport', '8080'])).toEqual([
      'worker: unknown option --healthport',
    ]);
    expect(cliProblems(['board', '--port'])).toEqual(['board: --port needs a value']);
  });
});

describe('docker-compose.yml', () => {
  it('has Redis that never evicts and persists with AOF', () => {
    const command = services['redis']?.command ?? [];
    expect(flagValue(command, '--maxmemory-policy')).toBe('noeviction');
    expect(flagValue(command, '--appendonly')).toBe('yes');
    expect(flagValue(command, '--appendfsync')).toBe('everysec');
  });

  it('runs the seed, two workers, the scheduler, the board and the demo run', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['board', 'demo-run', 'redis', 'schedule', 'scheduler', 'seed', 'worker'].sort(),
    );
    expect(services['worker']?.deploy?.replicas).toBe(2);
    expect(commandOf(services['scheduler']!)).toEqual(
      expect.arrayContaining(['worker', '--scheduler', '--queues', 'orchestrator']),
    );
    expect(commandOf(services['seed']!).slice(0, 3)).toEqual(['seed', '--dir', '/data/warehouse']);
    expect(commandOf(services['demo-run']!)).toEqual(['run', '--date', '2026-03-01']);
  });

  it('runs real contrail commands and sets only variables contrail reads', () => {
    expect(contrail.length).toBe(6);
    for (const [name, service] of contrail) {
      expect([name, cliProblems(commandOf(service))]).toEqual([name, []]);
      const unknown = Object.keys(service.environment ?? {}).filter((n) => !ENV_NAMES.has(n));
      expect([name, unknown]).toEqual([name, []]);
      expect(service.environment?.['REDIS_URL']).toBe('redis://redis:6379');
    }
  });

  it('shares the seeded warehouse volume and waits for the seed and Redis', () => {
    for (const [name, service] of contrail) {
      expect([name, service.volumes]).toEqual([name, ['warehouse:/data']]);
      expect(service.environment?.['CONTRAIL_WAREHOUSE_DIR']).toMatch(/^\/data\//);
      expect(service.environment?.['CONTRAIL_EXPORTS_DIR']).toMatch(/^\/data\//);
      if (name === 'seed') continue;
      expect([name, service.depends_on?.['seed']?.condition]).toEqual([
        name,
        'service_completed_successfully',
      ]);
      expect(service.depends_on?.['redis']?.condition).toBe('service_healthy');
    }
    expect(Object.keys(compose.volumes)).toContain('warehouse');
    expect(services['scheduler']?.depends_on?.['schedule']?.condition).toBe(
      'service_completed_successfully',
    );
  });

  it('probes workers on their --health-port and stops them after their grace period', () => {
    for (const name of ['worker', 'scheduler']) {
      const service = services[name]!;
      const port = flagValue(commandOf(service), '--health-port');
      expect(port).toBeDefined();
      expect(service.healthcheck?.test.join(' ')).toContain(`127.0.0.1:${port}/readyz`);
      const grace = Number(flagValue(commandOf(service), '--grace-period') ?? 60);
      expect(seconds(service.stop_grace_period)).toBeGreaterThan(grace);
    }
    expect(services['worker']?.environment?.['CONTRAIL_WORKER_CONCURRENCY']).toBe('2');
  });

  it('publishes the authenticated board on loopback only', () => {
    const board = services['board']!;
    const command = commandOf(board);
    expect(flagValue(command, '--host')).toBe('0.0.0.0');
    expect(board.ports).toEqual([`127.0.0.1:${flagValue(command, '--port')}:3000`]);
    expect(board.environment?.['CONTRAIL_BOARD_USER']).toBeTruthy();
    expect(board.environment?.['CONTRAIL_BOARD_PASSWORD']?.length).toBeGreaterThanOrEqual(12);
    expect(command).not.toContain('--insecure-local');
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const runtime = stages.at(-1) ?? '';
  const ignore = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');

  it('builds in stages on Node 22 LTS', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(dockerfile).toMatch(/^ARG NODE_IMAGE=node:22-[a-z-]+$/m);
    expect(stages.every((s) => s.startsWith('${NODE_IMAGE} AS '))).toBe(true);
    expect(dockerfile).toMatch(/RUN npm run build/);
  });

  it('ships only compiled output and production dependencies, as a non-root user', () => {
    expect(runtime).toMatch(/^USER node$/m);
    const copies = runtime.match(/^COPY .+$/gm) ?? [];
    const sources = copies.map((line) => line.split(/\s+/).at(-2));
    expect(sources.sort()).toEqual(['/app/dist', '/app/node_modules', 'bin', 'package.json']);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(runtime).not.toMatch(/\bsrc\b/);
  });

  it('lets the command pick the role, worker by default', () => {
    expect(runtime).toMatch(/^ENTRYPOINT \["node", "bin\/contrail\.js"\]$/m);
    expect(runtime).toMatch(/^CMD \["worker"\]$/m);
    expect(cliProblems(['worker'])).toEqual([]);
  });

  it('keeps the build context small', () => {
    for (const entry of ['node_modules', 'dist', 'tests', '.git', 'artifacts']) {
      expect(ignore).toContain(entry);
    }
    for (const needed of ['src', 'bin', 'package.json', 'package-lock.json']) {
      expect(ignore).not.toContain(needed);
    }
  });
});
