import { describe, expect, it } from 'vitest';

import {
  parsePublicUrl,
  parsePublicUrlList,
  PublicUrlError,
} from '../../../src/board/public-url.js';

describe('parsePublicUrl', () => {
  it('gives the origin of an http(s) URL', () => {
    expect(parsePublicUrl('https://Board.Example.com/')).toBe('https://board.example.com');
    expect(parsePublicUrl(' http://localhost:8080 ')).toBe('http://localhost:8080');
    expect(parsePublicUrl('https://board.example.com:443')).toBe('https://board.example.com');
  });

  it('refuses what is not an origin, saying why', () => {
    const bad: [string, RegExp][] = [
      ['board.example.com', /not a URL/],
      ['ftp://board.example.com', /not an http or https URL/],
      ['https://board.example.com/admin/queues', /path, query or fragment/],
      ['https://board.example.com/?a=1', /path, query or fragment/],
      ['https://board.example.com/#x', /path, query or fragment/],
    ];
    for (const [text, message] of bad) {
      expect(() => parsePublicUrl(text)).toThrow(PublicUrlError);
      expect(() => parsePublicUrl(text)).toThrow(message);
    }
  });

  it('refuses credentials without repeating them', () => {
    const call = () => parsePublicUrl('https://admin:hunter2-secret@board.example.com');
    expect(call).toThrow(/carries no credentials/);
    expect(call).not.toThrow(/hunter2-secret/);
  });
});

describe('parsePublicUrlList', () => {
  it('splits on commas, ignoring empty items', () => {
    expect(parsePublicUrlList('https://a.example, http://localhost:8080,')).toEqual([
      'https://a.example',
      'http://localhost:8080',
    ]);
    expect(parsePublicUrlList('')).toEqual([]);
    expect(() => parsePublicUrlList('https://a.example,nope')).toThrow(PublicUrlError);
  });
});
