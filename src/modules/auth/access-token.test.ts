import { describe, expect, it } from 'vitest';
import { AccessTokens, bearerToken } from './access-token.js';

const SECRET = 'a-test-secret-that-is-at-least-32-characters';
const viewer = { accountId: '6f1c2a9e-3b7d-4e2a-9f0b-1c2d3e4f5a6b', role: 'USER', tier: 'PRO' } as const;

describe('AccessTokens', () => {
  it('round-trips the viewer with its expiry instant and expires after its TTL', async () => {
    const tokens = new AccessTokens(SECRET, 900);
    const now = new Date('2026-01-02T10:00:00Z');
    const { token, expiresAt } = await tokens.sign(viewer, now);
    expect(expiresAt.toISOString()).toBe('2026-01-02T10:15:00.000Z');
    const fresh = await tokens.sign(viewer);
    expect(await tokens.verify(fresh.token)).toEqual({ viewer, expiresAt: fresh.expiresAt.getTime() });
    expect(await tokens.verify(token)).toEqual({ error: 'Access token has expired: get a new one with refreshToken' });
  });

  it('rejects a token signed with another secret, a tampered payload and garbage', async () => {
    const mine = new AccessTokens(SECRET, 900);
    const theirs = new AccessTokens('another-secret-that-is-at-least-32-characters', 900);
    const { token } = await theirs.sign(viewer);
    expect(await mine.verify(token)).toEqual({ error: 'Access token is not valid' });

    const [header, , signature] = (await mine.sign(viewer)).token.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: viewer.accountId, role: 'ADMIN', tier: 'PRO' })).toString('base64url');
    expect(await mine.verify(`${header}.${forged}.${signature}`)).toEqual({ error: 'Access token is not valid' });
    expect(await mine.verify('not.a.jwt')).toEqual({ error: 'Access token is not valid' });
  });

  it('refuses unsigned tokens (alg none)', async () => {
    const tokens = new AccessTokens(SECRET, 900);
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'x', role: 'ADMIN', tier: 'PRO', iss: 'marketgraph', aud: 'marketgraph-api' })).toString('base64url');
    expect(await tokens.verify(`${header}.${payload}.`)).toEqual({ error: 'Access token is not valid' });
  });
});

describe('bearerToken', () => {
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer   abc', 'abc'],
    ['Basic dXNlcjpwdw==', undefined],
    ['Bearer', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
