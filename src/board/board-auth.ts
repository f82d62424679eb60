import { createHash, timingSafeEqual } from 'node:crypto';

import type { RequestHandler } from 'express';

import type { Env } from '../runtime/env.js';

/**
 * Credentials the board accepts. Either or both may be set; with neither, the board is open,
 * which {@link assertBoardExposure} allows only on loopback with an explicit `--insecure-local`.
 */
export interface BoardAuth {
  /** `Authorization: Bearer <token>` (Prometheus, scripts, KEDA). */
  readonly token: string | null;
  /** `Authorization: Basic ...` (people, with the browser's login prompt). */
  readonly basic: { readonly user: string; readonly password: string } | null;
}

/** Board credentials are missing, half-configured or too weak; names the variable at fault. */
export class BoardAuthError extends Error {
  override readonly name = 'BoardAuthError';
}

/** Shortest token or password accepted. */
export const MIN_SECRET_LENGTH = 12;

/**
 * Board credentials from the environment: `CONTRAIL_BOARD_TOKEN`, and/or
 * `CONTRAIL_BOARD_USER` with `CONTRAIL_BOARD_PASSWORD`.
 * @throws BoardAuthError when only one of user and password is set, or a secret is shorter than
 * {@link MIN_SECRET_LENGTH}.
 */
export function boardAuthFromEnv(env: Env): BoardAuth {
  const user = env.CONTRAIL_BOARD_USER;
  const password = env.CONTRAIL_BOARD_PASSWORD;
  if ((user === undefined) !== (password === undefined)) {
    const missing = user === undefined ? 'CONTRAIL_BOARD_USER' : 'CONTRAIL_BOARD_PASSWORD';
    throw new BoardAuthError(
      `${missing} is not set: basic auth needs both CONTRAIL_BOARD_USER and CONTRAIL_BOARD_PASSWORD`,
    );
  }
  const token = env.CONTRAIL_BOARD_TOKEN ?? null;
  if (token !== null && token.length < MIN_SECRET_LENGTH) {
    throw new BoardAuthError(
      `CONTRAIL_BOARD_TOKEN is shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  }
  if (password !== undefined && password.length < MIN_SECRET_LENGTH) {
    throw new BoardAuthError(
      `CONTRAIL_BOARD_PASSWORD is shorter than ${MIN_SECRET_LENGTH} characters`,
    );
  }
  return {
    token,
    basic: user === undefined || password === undefined ? null : { user, password },
  };
}

/** True when some credential is configured. */
export function hasCredentials(auth: BoardAuth): boolean {
  return auth.token !== null || auth.basic !== null;
}

/** True for addresses that only this machine can reach. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Refuses an open board unless it is bound to loopback and `insecureLocal` was asked for.
 * @throws BoardAuthError explaining which variables to set.
 */
export function assertBoardExposure(auth: BoardAuth, host: string, insecureLocal: boolean): void {
  if (hasCredentials(auth)) return;
  if (insecureLocal && isLoopbackHost(host)) return;
  const hint = insecureLocal
    ? `--insecure-local only works on a loopback host (127.0.0.1, ::1, localhost), not ${host}`
    : 'or pass --insecure-local with --host 127.0.0.1 for a local, unauthenticated board';
  throw new BoardAuthError(
    `no board credentials: set CONTRAIL_BOARD_TOKEN, or CONTRAIL_BOARD_USER and CONTRAIL_BOARD_PASSWORD; ${hint}`,
  );
}

/** Constant-time string comparison (compares SHA-256 digests, so lengths leak nothing). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** True when the `Authorization` header carries one of the configured credentials. */
export function isAuthorized(auth: BoardAuth, header: string | undefined): boolean {
  if (!hasCredentials(auth)) return true;
  if (header === undefined) return false;
  const space = header.indexOf(' ');
  if (space < 0) return false;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer' && auth.token !== null) return sameSecret(value, auth.token);
  if (scheme === 'basic' && auth.basic !== null) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return false;
    const userOk = sameSecret(decoded.slice(0, colon), auth.basic.user);
    const passwordOk = sameSecret(decoded.slice(colon + 1), auth.basic.password);
    return userOk && passwordOk;
  }
  return false;
}

/**
 * Express middleware answering 401 to requests without valid credentials. With basic auth
 * configured it asks the browser to prompt (`WWW-Authenticate: Basic`).
 */
export function requireAuth(auth: BoardAuth): RequestHandler {
  const challenge =
    auth.basic !== null ? 'Basic realm="contrail", charset="UTF-8"' : 'Bearer realm="contrail"';
  return (request, response, next) => {
    if (isAuthorized(auth, request.get('authorization'))) {
      next();
      return;
    }
    response
      .set('WWW-Authenticate', challenge)
      .status(401)
      .type('text/plain')
      .send('unauthorized\n');
  };
}
