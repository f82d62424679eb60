import { existsSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { COUNTED_STATES } from '../../../src/board/queue-metrics.js';
import { QUEUE_NAMES } from '../../../src/queue/queue-names.js';
import {
  cliProblems,
  ENV_NAMES,
  flagValue,
  K8S_DIR,
  loadManifests,
  podSpecOf,
  quantity,
  type Container,
  type K8sObject,
} from './deploy-helpers.js';

/** deploy/k8s: valid YAML whose cross-references agree with each other and with the code. */

const manifests = loadManifests();
const byName = (kind: string, name: string): K8sObject => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in deploy/k8s`);
  return found;
};
const workloads = manifests.filter((m) => m.kind === 'Deployment' || m.kind === 'CronJob');
const contrailContainers = workloads.flatMap((w) => {
  const pod = podSpecOf(w);
  return [...(pod.initContainers ?? []), ...pod.containers]
    .filter((c) => c.image === 'contrail')
    .map((c) => ({ workload: w, container: c }));
});
const envOf = (c: Container, name: string) => c.env?.find((e) => e.name === name)?.value;
const kustomization = manifests.find((m) => m.kind === 'Kustomization') as unknown as {
  resources: string[];
  images: { name: string }[];
};

describe('deploy/k8s', () => {
  it('parses, and kustomization lists existing files with the contrail image', () => {
    expect(manifests.length).toBeGreaterThan(10);
    for (const resource of kustomization.resources) {
      expect([resource, existsSync(path.join(K8S_DIR, resource))]).toEqual([resource, true]);
    }
    expect(kustomization.images.map((i) => i.name)).toEqual(['contrail']);
    expect(contrailContainers.length).toBeGreaterThanOrEqual(5);
  });

  it('runs real contrail commands with real options', () => {
    for (const { workload, container } of contrailContainers) {
      expect([workload.file, container.name, cliProblems(container.args ?? [])]).toEqual([
        workload.file,
        container.name,
        [],
      ]);
    }
  });

  it('only sets environment variables contrail reads, from the config map and secret', () => {
    const config = byName('ConfigMap', 'contrail-config');
    const secret = byName('Secret', 'contrail-secrets');
    const names = [
      ...Object.keys(config.data ?? {}),
      ...Object.keys(secret.stringData ?? {}),
      ...contrailContainers.flatMap(({ container }) => (container.env ?? []).map((e) => e.name)),
    ];
    expect(names.filter((n) => !ENV_NAMES.has(n))).toEqual([]);
    for (const secretName of ['REDIS_URL', 'CONTRAIL_BOARD_TOKEN', 'CONTRAIL_BOARD_PASSWORD']) {
      expect(Object.keys(config.data ?? {})).not.toContain(secretName);
      expect(Object.keys(secret.stringData ?? {})).toContain(secretName);
    }
    for (const { container } of contrailContainers) {
      expect(container.envFrom).toEqual([
        { configMapRef: { name: 'contrail-config' } },
        { secretRef: { name: 'contrail-secrets' } },
      ]);
    }
  });

  it('selects its own pods in every Deployment', () => {
    for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
      const spec = deployment.spec as {
        selector: { matchLabels: Record<string, string> };
        template: { metadata: { labels: Record<string, string> } };
      };
      expect(spec.template.metadata.labels).toMatchObject(spec.selector.matchLabels);
    }
  });
});

describe('worker Deployment', () => {
  const worker = byName('Deployment', 'contrail-worker');
  const pod = podSpecOf(worker);
  const container = pod.containers[0]!;
  const args = container.args ?? [];
  const concurrency = Number(envOf(container, 'CONTRAIL_WORKER_CONCURRENCY'));

  it('probes /livez and /readyz on the worker --health-port', () => {
    const port = Number(flagValue(args, '--health-port'));
    expect(port).toBeGreaterThan(0);
    expect(container.livenessProbe?.httpGet).toEqual({ path: '/livez', port });
    expect(container.readinessProbe?.httpGet).toEqual({ path: '/readyz', port });
    expect(container.ports?.map((p) => p.containerPort)).toContain(port);
  });

  it('gives Kubernetes a grace period above the worker grace period and the longest job', () => {
    const grace = Number(flagValue(args, '--grace-period'));
    const jobTimeout = Number(flagValue(args, '--job-timeout'));
    expect(jobTimeout).toBeGreaterThan(0);
    expect(grace).toBeGreaterThan(jobTimeout);
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(grace);
  });

  it('requests one CPU per concurrent metric job and memory for every thread heap', () => {
    expect(concurrency).toBeGreaterThan(0);
    const { requests, limits } = container.resources ?? {};
    expect(quantity(requests?.cpu ?? '0')).toBe(concurrency);
    expect(quantity(limits?.cpu ?? '0')).toBe(concurrency);
    // Each metric thread's old generation is capped at 2 GiB (job-thread-pool).
    expect(quantity(limits?.memory ?? '0')).toBeGreaterThanOrEqual(concurrency * 2 * 2 ** 30);
    expect(quantity(requests?.memory ?? '0')).toBeGreaterThanOrEqual(concurrency * 2 * 2 ** 30);
  });

  it('is scaled by KEDA on waiting + active (+ delayed) jobs of its queues via /metrics', () => {
    const scaled = byName('ScaledObject', 'contrail-worker');
    const spec = scaled.spec as {
      scaleTargetRef: { name: string };
      minReplicaCount: number;
      triggers: { type: string; metadata: { query: string; threshold: string } }[];
    };
    expect(spec.scaleTargetRef.name).toBe(worker.metadata.name);
    const trigger = spec.triggers[0]!;
    expect(trigger.type).toBe('prometheus');
    expect(Number(trigger.metadata.threshold)).toBe(concurrency);
    const query = /contrail_queue_jobs\{queue=~"([^"]+)",state=~"([^"]+)"\}/.exec(
      trigger.metadata.query,
    );
    expect(query).not.toBeNull();
    const queues = query![1]!.split('|');
    const states = query![2]!.split('|');
    expect(queues.every((q) => (QUEUE_NAMES as readonly string[]).includes(q))).toBe(true);
    expect(queues).not.toContain('orchestrator');
    expect(queues).toEqual(expect.arrayContaining(['metric', 'finalize']));
    expect(states.every((s) => (COUNTED_STATES as readonly string[]).includes(s))).toBe(true);
    expect(states).toEqual(expect.arrayContaining(['waiting', 'active']));
    // Scaling to zero is only safe when delayed jobs (backoff retries) keep a pod alive.
    if (spec.minReplicaCount === 0) expect(states).toContain('delayed');
  });
});

describe('scheduler Deployment', () => {
  const scheduler = byName('Deployment', 'contrail-scheduler');
  const pod = podSpecOf(scheduler);

  it('keeps exactly one worker on the orchestrator queue, outside the autoscaler', () => {
    expect((scheduler.spec as { replicas: number }).replicas).toBe(1);
    const args = pod.containers.find((c) => c.image === 'contrail')?.args ?? [];
    expect(args[0]).toBe('worker');
    expect(args).toContain('--scheduler');
    expect(flagValue(args, '--queues')).toBe('orchestrator');
    const targets = manifests
      .filter((m) => m.kind === 'ScaledObject')
      .map((m) => (m.spec as { scaleTargetRef: { name: string } }).scaleTargetRef.name);
    expect(targets).not.toContain(scheduler.metadata.name);
  });

  it('registers the daily run before it starts, and reads metric-hub from the shared folder', () => {
    const register = pod.initContainers?.find((c) => c.image === 'contrail');
    expect(register?.args?.[0]).toBe('schedule');
    expect(flagValue(register?.args ?? [], '--cron')).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    const config = byName('ConfigMap', 'contrail-config');
    const hubDir = config.data?.['CONTRAIL_METRIC_HUB_DIR'] ?? '';
    const mounts = (pod.containers[0] as { volumeMounts?: { mountPath: string }[] }).volumeMounts;
    expect(mounts?.some((m) => hubDir.startsWith(`${m.mountPath}/`))).toBe(true);
  });
});

describe('board Deployment and Service', () => {
  const board = byName('Deployment', 'contrail-board');
  const container = podSpecOf(board).containers[0]!;
  const args = container.args ?? [];
  const port = Number(flagValue(args, '--port'));

  it('listens on all interfaces on the port the service and probes use', () => {
    expect(flagValue(args, '--host')).toBe('0.0.0.0');
    expect(args).not.toContain('--insecure-local');
    expect(args).not.toContain('--writable');
    const http = container.ports?.find((p) => p.name === 'http');
    expect(http?.containerPort).toBe(port);
    expect(container.livenessProbe?.tcpSocket?.port).toBe(port);
    expect(container.readinessProbe?.tcpSocket?.port).toBe(port);
    const service = byName('Service', 'contrail-board');
    const spec = service.spec as {
      selector: Record<string, string>;
      ports: { name: string; port: number; targetPort: string }[];
    };
    expect(spec.ports[0]?.targetPort).toBe('http');
    const labels = (board.spec as { template: { metadata: { labels: Record<string, string> } } })
      .template.metadata.labels;
    expect(labels).toMatchObject(spec.selector);
  });

  it('is scraped by Prometheus with the board token on the service port', () => {
    const monitor = byName('ServiceMonitor', 'contrail-board');
    const spec = monitor.spec as {
      endpoints: {
        port: string;
        path: string;
        authorization: { credentials: { name: string; key: string } };
      }[];
    };
    expect(spec.endpoints[0]).toMatchObject({
      port: 'http',
      path: '/metrics',
      authorization: { credentials: { name: 'contrail-secrets', key: 'CONTRAIL_BOARD_TOKEN' } },
    });
  });
});

describe('CronJob alternative', () => {
  it('runs contrail run --date yesterday once a day, never overlapping', () => {
    const cron = byName('CronJob', 'contrail-daily-run');
    const spec = cron.spec as { schedule: string; concurrencyPolicy: string };
    expect(spec.schedule).toBe('0 3 * * *');
    expect(spec.concurrencyPolicy).toBe('Forbid');
    const container = podSpecOf(cron).containers[0]!;
    expect(container.args).toEqual(['run', '--date', 'yesterday']);
    expect(kustomization.resources.some((r) => r.includes('cronjob'))).toBe(false);
  });
});
