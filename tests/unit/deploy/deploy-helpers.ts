import { readdirSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import path from 'node:path';

import type { Command } from 'commander';
import { parse, parseAllDocuments } from 'yaml';

import { buildProgram } from '../../../src/cli/main.js';
import { createCliContext } from '../../../src/cli/cli-context.js';
import { envSchema } from '../../../src/runtime/env.js';

/** Helpers shared by the deployment checks: YAML loading, the CLI's commands and the env schema. */

export const ROOT = path.resolve(import.meta.dirname, '../../..');
export const K8S_DIR = path.join(ROOT, 'deploy/k8s');

/** Every environment variable contrail reads. */
export const ENV_NAMES: ReadonlySet<string> = new Set(Object.keys(envSchema.shape));

/** A parsed Kubernetes object (only the fields the checks read are typed). */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly labels?: Record<string, string> };
  readonly spec?: Record<string, unknown>;
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
  readonly file: string;
}

/** Every YAML document under deploy/k8s (recursively), with the file it came from. */
export function loadManifests(dir = K8S_DIR): K8sObject[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((file) => {
      const documents = parseAllDocuments(readFileSync(path.join(dir, file), 'utf8'));
      return documents.map((doc) => {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        return { ...(doc.toJS() as Omit<K8sObject, 'file'>), file };
      });
    });
}

/** docker-compose.yml with its merge keys (`<<`) resolved. */
export function loadCompose(): { services: Record<string, ComposeService>; volumes: object } {
  return parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
    volumes: object;
  };
}

/** The fields of a compose service the checks read. */
export interface ComposeService {
  readonly image?: string;
  readonly build?: string;
  readonly command?: string[];
  readonly entrypoint?: string[];
  readonly environment?: Record<string, string>;
  readonly volumes?: string[];
  readonly ports?: string[];
  readonly depends_on?: Record<string, { condition: string }>;
  readonly deploy?: { replicas?: number };
  readonly healthcheck?: { test: string[] };
  readonly stop_grace_period?: string;
}

/** A container spec (the fields the checks read). */
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly env?: { name: string; value?: string }[];
  readonly envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readonly ports?: { name?: string; containerPort: number }[];
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly resources?: {
    requests?: { cpu?: string; memory?: string };
    limits?: { cpu?: string; memory?: string };
  };
}

/** An HTTP or TCP probe. */
export interface Probe {
  readonly httpGet?: { path: string; port: number | string };
  readonly tcpSocket?: { port: number | string };
}

/** The pod template of a Deployment or a CronJob. */
export function podSpecOf(object: K8sObject): {
  containers: Container[];
  initContainers?: Container[];
  terminationGracePeriodSeconds?: number;
} {
  const spec = object.spec as Record<string, unknown>;
  if (object.kind === 'CronJob') {
    const job = (spec['jobTemplate'] as { spec: { template: { spec: unknown } } }).spec;
    return job.template.spec as ReturnType<typeof podSpecOf>;
  }
  return (spec['template'] as { spec: unknown }).spec as ReturnType<typeof podSpecOf>;
}

/** Value of `--flag` in an argument list (`--flag value`), or undefined. */
export function flagValue(args: readonly string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  return at < 0 ? undefined : args[at + 1];
}

let program: Command | undefined;

/** The real `contrail` program (every registered subcommand and its options). */
export function contrailProgram(): Command {
  const sink = new Writable({ write: (_c, _e, done) => done() });
  program ??= buildProgram(createCliContext({}, sink, sink));
  return program;
}

/**
 * Problems with a contrail command line: unknown subcommand, unknown `--option`, or a value
 * missing after an option that takes one. Empty when the arguments match the CLI.
 */
export function cliProblems(args: readonly string[]): string[] {
  const [name, ...rest] = args;
  const command = contrailProgram().commands.find((c) => c.name() === name);
  if (command === undefined) return [`unknown command ${name ?? '(none)'}`];
  const problems: string[] = [];
  for (let i = 0; i < rest.length; i += 1) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) continue;
    const option = command.options.find((o) => o.long === arg);
    if (option === undefined) {
      problems.push(`${name}: unknown option ${arg}`);
      continue;
    }
    if (option.required || option.optional) {
      const value = rest[i + 1];
      if (value === undefined || value.startsWith('--')) {
        problems.push(`${name}: ${arg} needs a value`);
      }
      i += 1;
    }
  }
  return problems;
}

/** Kubernetes quantity (`2`, `500m`, `5Gi`, `512Mi`) as a number of cores or bytes. */
export function quantity(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti)?$/.exec(value);
  if (match === null) throw new Error(`not a quantity: ${value}`);
  const scale = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;
  const unit = match[2] as keyof typeof scale | undefined;
  return Number(match[1]) * (unit === undefined ? 1 : scale[unit]);
}
