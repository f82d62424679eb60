import { describe, expect, it } from 'vitest';

import { isAllowedLoopbackHost } from '../../../src/board/allowed-host.js';
import { loopbackOrigins, normalizeOrigin } from '../../../src/board/loopback-origins.js';
import {
  acceptsHost,
  acceptsWriteOrigin,
  originPolicyFor,
} from '../../../src/board/origin-policy.js';
import { isAllowedOrigin, writeOriginOf } from '../../../src/board/write-origin.js';

const PORT = 3902;
const OPEN = { token: null, basic: null };
const TOKEN = { token: 'a-long-enough-token', basic: null };
const PUBLIC = 'https://board.example.com';

describe('isAllowedLoopbackHost', () => {
  it('accepts 127.0.0.1, localhost and [::1] with the board port', () => {
    const hosts = ['127.0.0.1:3902', 'localhost:3902', '[::1]:3902', 'LOCALHOST:3902'];
    expect(hosts.map((h) => isAllowedLoopbackHost(h, PORT))).toEqual([true, true, true, true]);
  });

  it('refuses other names, other ports, a missing port and a missing header', () => {
    const hosts = [
      'attacker.example:3902',
      'attacker.example',
      '127.0.0.1:3903',
      '127.0.0.1',
      'localhost',
      '::1:3902',
      '127.0.0.2:3902',
      'localhost.:3902',
      '127.0.0.1:3902.attacker.example',
      '0.0.0.0:3902',
      '',
    ];
    expect(hosts.filter((h) => isAllowedLoopbackHost(h, PORT))).toEqual([]);
    expect(isAllowedLoopbackHost(undefined, PORT)).toBe(false);
  });

  it('accepts a loopback name without a port only on port 80', () => {
    expect(isAllowedLoopbackHost('localhost', 80)).toBe(true);
    expect(isAllowedLoopbackHost('localhost:80', 80)).toBe(true);
    expect(isAllowedLoopbackHost('attacker.example', 80)).toBe(false);
  });
});

describe('writeOriginOf', () => {
  it('takes Origin, else the origin of Referer', () => {
    expect(writeOriginOf({ origin: 'http://LOCALHOST:3902', referer: undefined })).toBe(
      'http://localhost:3902',
    );
    expect(
      writeOriginOf({ origin: undefined, referer: 'http://attacker.example:3902/page?x=1' }),
    ).toBe('http://attacker.example:3902');
    expect(
      writeOriginOf({ origin: 'http://attacker.example', referer: 'http://127.0.0.1:3902/' }),
    ).toBe('http://attacker.example');
  });

  it("is 'unknown' for an opaque or malformed origin, null without either header", () => {
    expect(writeOriginOf({ origin: 'null', referer: undefined })).toBe('unknown');
    expect(writeOriginOf({ origin: 'file:///etc/passwd', referer: undefined })).toBe('unknown');
    expect(writeOriginOf({ origin: undefined, referer: 'not a url' })).toBe('unknown');
    expect(writeOriginOf({ origin: undefined, referer: undefined })).toBeNull();
  });
});

describe('isAllowedOrigin', () => {
  it('compares serialized origins (case, default port), not prefixes', () => {
    expect(isAllowedOrigin('https://board.example.com', ['https://Board.Example.com:443'])).toBe(
      true,
    );
    expect(isAllowedOrigin('https://board.example.com.attacker.example', [PUBLIC])).toBe(false);
    expect(isAllowedOrigin('http://board.example.com', [PUBLIC])).toBe(false);
    expect(isAllowedOrigin('unknown', [PUBLIC])).toBe(false);
  });
});

describe('loopbackOrigins', () => {
  it('are the three loopback names with the port, each a valid origin', () => {
    expect(loopbackOrigins(PORT)).toEqual([
      'http://127.0.0.1:3902',
      'http://localhost:3902',
      'http://[::1]:3902',
    ]);
    expect(loopbackOrigins(PORT).map(normalizeOrigin)).toEqual(loopbackOrigins(PORT));
  });
});

describe('originPolicyFor', () => {
  it('without credentials: loopback Host only, loopback origins only, public URLs ignored', () => {
    const policy = originPolicyFor({ auth: OPEN, host: '127.0.0.1', publicOrigins: [PUBLIC] });
    expect(acceptsHost(policy, 'localhost:3902', PORT)).toBe(true);
    expect(acceptsHost(policy, 'attacker.example:3902', PORT)).toBe(false);
    expect(acceptsHost(policy, '127.0.0.1:9999', PORT)).toBe(false);
    expect(acceptsWriteOrigin(policy, 'http://[::1]:3902', PORT)).toBe(true);
    expect(acceptsWriteOrigin(policy, 'http://attacker.example:3902', PORT)).toBe(false);
    expect(acceptsWriteOrigin(policy, 'http://127.0.0.1:3903', PORT)).toBe(false);
    expect(acceptsWriteOrigin(policy, PUBLIC, PORT)).toBe(false);
  });

  it('with credentials on loopback: any Host, writes from loopback and public origins', () => {
    const policy = originPolicyFor({ auth: TOKEN, host: '127.0.0.1', publicOrigins: [PUBLIC] });
    expect(acceptsHost(policy, 'board.example.com', PORT)).toBe(true);
    expect(acceptsWriteOrigin(policy, 'http://localhost:3902', PORT)).toBe(true);
    expect(acceptsWriteOrigin(policy, PUBLIC, PORT)).toBe(true);
    expect(acceptsWriteOrigin(policy, 'http://attacker.example:3902', PORT)).toBe(false);
  });

  it('with credentials on another address: writes from the public origins only', () => {
    const policy = originPolicyFor({ auth: TOKEN, host: '0.0.0.0', publicOrigins: [PUBLIC] });
    expect(acceptsWriteOrigin(policy, PUBLIC, PORT)).toBe(true);
    expect(acceptsWriteOrigin(policy, 'http://127.0.0.1:3902', PORT)).toBe(false);
    const none = originPolicyFor({ auth: TOKEN, host: '0.0.0.0', publicOrigins: [] });
    expect(acceptsWriteOrigin(none, 'http://0.0.0.0:3902', PORT)).toBe(false);
  });
});
