import type { AddressInfo } from 'node:net';

import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  assertBoardExposure,
  BoardAuthError,
  boardAuthFromEnv,
  isAuthorized,
  isLoopbackHost,
  requireAuth,
  type BoardAuth,
} from '../../../src/board/board-auth.js';
import { originPolicyFor } from '../../../src/board/origin-policy.js';
import { sameOriginWrites } from '../../../src/board/same-origin-writes.js';
import { parseEnv } from '../../../src/runtime/env.js';

const TOKEN = 'a-long-enough-token';
const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('boardAuthFromEnv', () => {
  it('reads a token, basic credentials, or both', () => {
    expect(boardAuthFromEnv(parseEnv({ CONTRAIL_BOARD_TOKEN: TOKEN }))).toEqual({
      token: TOKEN,
      basic: null,
    });
    const env = parseEnv({
      CONTRAIL_BOARD_USER: 'ops',
      CONTRAIL_BOARD_PASSWORD: 'correct horse battery',
      CONTRAIL_BOARD_TOKEN: TOKEN,
    });
    expect(boardAuthFromEnv(env)).toEqual({
      token: TOKEN,
      basic: { user: 'ops', password: 'correct horse battery' },
    });
    expect(boardAuthFromEnv(parseEnv({}))).toEqual({ token: null, basic: null });
  });

  it('names the missing half of basic auth and refuses short secrets', () => {
    expect(() => boardAuthFromEnv(parseEnv({ CONTRAIL_BOARD_USER: 'ops' }))).toThrow(
      /^CONTRAIL_BOARD_PASSWORD is not set/,
    );
    expect(() =>
      boardAuthFromEnv(parseEnv({ CONTRAIL_BOARD_PASSWORD: 'correct horse battery' })),
    ).toThrow(/^CONTRAIL_BOARD_USER is not set/);
    expect(() => boardAuthFromEnv(parseEnv({ CONTRAIL_BOARD_TOKEN: 'short' }))).toThrow(
      /CONTRAIL_BOARD_TOKEN is shorter than 12/,
    );
    expect(() =>
      boardAuthFromEnv(parseEnv({ CONTRAIL_BOARD_USER: 'ops', CONTRAIL_BOARD_PASSWORD: 'pw' })),
    ).toThrow(BoardAuthError);
  });
});

describe('isAuthorized', () => {
  const auth: BoardAuth = { token: TOKEN, basic: { user: 'ops', password: 'p:ss word 123' } };

  it('accepts the bearer token and the basic credentials (password may contain a colon)', () => {
    expect(isAuthorized(auth, `Bearer ${TOKEN}`)).toBe(true);
    expect(isAuthorized(auth, `bearer ${TOKEN}`)).toBe(true);
    expect(isAuthorized(auth, basic('ops', 'p:ss word 123'))).toBe(true);
  });

  it('rejects anything else', () => {
    expect(isAuthorized(auth, undefined)).toBe(false);
    expect(isAuthorized(auth, '')).toBe(false);
    expect(isAuthorized(auth, `Bearer ${TOKEN}x`)).toBe(false);
    expect(isAuthorized(auth, `Bearer ${TOKEN.slice(1)}`)).toBe(false);
    expect(isAuthorized(auth, basic('ops', 'p:ss word 12'))).toBe(false);
    expect(isAuthorized(auth, basic('root', 'p:ss word 123'))).toBe(false);
    expect(isAuthorized(auth, 'Basic bm8tY29sb24=')).toBe(false);
    expect(isAuthorized(auth, `Token ${TOKEN}`)).toBe(false);
  });

  it('does not accept a scheme that is not configured', () => {
    const tokenOnly: BoardAuth = { token: TOKEN, basic: null };
    expect(isAuthorized(tokenOnly, basic('ops', TOKEN))).toBe(false);
    const basicOnly: BoardAuth = { token: null, basic: { user: 'ops', password: TOKEN } };
    expect(isAuthorized(basicOnly, `Bearer ${TOKEN}`)).toBe(false);
  });
});

describe('assertBoardExposure', () => {
  const none: BoardAuth = { token: null, basic: null };

  it('refuses an open board unless loopback and --insecure-local', () => {
    expect(() => assertBoardExposure(none, '127.0.0.1', false)).toThrow(/no board credentials/);
    expect(() => assertBoardExposure(none, '0.0.0.0', true)).toThrow(/not 0\.0\.0\.0/);
    expect(() => assertBoardExposure(none, '127.0.0.1', true)).not.toThrow();
    expect(() => assertBoardExposure(none, '::1', true)).not.toThrow();
    expect(() =>
      assertBoardExposure({ token: TOKEN, basic: null }, '0.0.0.0', false),
    ).not.toThrow();
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '10.0.0.1', '::', 'example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('requireAuth and sameOriginWrites on a loopback server', () => {
  let base = '';
  let close: () => Promise<void> = () => Promise.resolve();

  beforeAll(async () => {
    const app = express();
    const auth = { token: TOKEN, basic: { user: 'ops', password: 'correct horse battery' } };
    app.use(requireAuth(auth));
    app.use(sameOriginWrites(originPolicyFor({ auth, host: '127.0.0.1', publicOrigins: [] })));
    app.all('/thing', (request, response) => {
      response.send(`ok ${request.method}`);
    });
    const server = await new Promise<ReturnType<typeof app.listen>>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());

  it('answers 401 with a basic challenge without credentials', async () => {
    const response = await fetch(`${base}/thing`);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm="contrail"/);
    const wrong = await fetch(`${base}/thing`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('lets authenticated requests through', async () => {
    const viaToken = await fetch(`${base}/thing`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect([viaToken.status, await viaToken.text()]).toEqual([200, 'ok GET']);
    const viaBasic = await fetch(`${base}/thing`, {
      headers: { authorization: basic('ops', 'correct horse battery') },
    });
    expect(viaBasic.status).toBe(200);
  });

  it('refuses cross-origin writes and allows same-origin or non-browser ones', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const host = new URL(base).host;
    const cross = await fetch(`${base}/thing`, {
      method: 'PUT',
      headers: { ...headers, origin: 'http://evil.example' },
    });
    expect(cross.status).toBe(403);
    // The request's own Host decides nothing: a matching Host and Origin are still foreign.
    const rebound = await fetch(`${base}/thing`, {
      method: 'PUT',
      headers: { ...headers, host: 'evil.example', origin: 'http://evil.example' },
    });
    expect(rebound.status).toBe(403);
    const same = await fetch(`${base}/thing`, {
      method: 'PUT',
      headers: { ...headers, origin: `http://${host}` },
    });
    expect([same.status, await same.text()]).toEqual([200, 'ok PUT']);
    const script = await fetch(`${base}/thing`, { method: 'POST', headers });
    expect(script.status).toBe(200);
    const crossRead = await fetch(`${base}/thing`, {
      headers: { ...headers, origin: 'http://evil.example' },
    });
    expect(crossRead.status).toBe(200);
  });
});
