import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { AccessTokens } from '../../../src/modules/auth/access-token.js';
import { RefreshTokens } from '../../../src/modules/auth/refresh-tokens.js';
import { signUp } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';
import { testServerUrl } from '../../support/databases.js';
import { raceOnLockedRow } from '../../support/row-barrier.js';

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id email fullName role tier } }
}`;
const LOGIN = `mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken user { id } } }`;
const REFRESH = `mutation($token: String!) { refreshToken(token: $token) { accessToken refreshToken user { id } } }`;
const ME = `{ me { id email fullName role tier } }`;

const LOST_RACE = 'Refresh token was just used by another request at the same time: use the tokens that request received';
const realPostgres = testServerUrl('user') !== undefined;
if (!realPostgres) console.warn('auth.api.test: the barrier race of refresh tokens needs real PostgreSQL (TEST_USER_DATABASE_URL); skipped on PGlite');

let t: TestApp;
let tokens: RefreshTokens;
beforeAll(async () => {
  t = await startTestApp();
  tokens = new RefreshTokens(t.app.userDb.prisma, 30);
});
afterAll(() => t?.close());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** Moves a retired token's retirement into the past, as if it was rotated `minutes` ago. */
const retireMinutesAgo = (token: string, minutes: number) =>
  t.user.sql.query(`UPDATE refresh_token SET revoked_at = now() - make_interval(mins => $2) WHERE token_hash = $1`, [sha256(token), minutes]);
const accountCount = async () => Number((await t.user.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM account'))[0]!.n);

describe('register', () => {
  it('creates a FREE user, stores the email lower-cased and the password only as a hash, and signs in', async () => {
    const { data, errors } = await t.graphql(REGISTER, { input: { email: '  Ada.Lovelace@Example.COM ', password: 'analytical engine', fullName: ' Ada Lovelace ' } });
    expect(errors).toBeUndefined();
    const payload = data!.register;
    expect(payload.user).toMatchObject({ email: 'ada.lovelace@example.com', fullName: 'Ada Lovelace', role: 'USER', tier: 'FREE' });
    expect(new Date(payload.accessTokenExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    expect(new Date(payload.refreshTokenExpiresAt).getTime() - Date.now()).toBeGreaterThan(29 * 86_400_000);
    const [row] = await t.user.sql.query<{ password_hash: string }>(`SELECT password_hash FROM account WHERE email = 'ada.lovelace@example.com'`);
    expect(row!.password_hash).toMatch(/^scrypt\$/);
    expect(row!.password_hash).not.toContain('analytical');
    const [token] = await t.user.sql.query<{ token_hash: string }>(`SELECT token_hash FROM refresh_token WHERE account_id = $1`, [payload.user.id]);
    expect(token!.token_hash).not.toBe(payload.refreshToken);

    const me = await t.graphql(ME, {}, bearer(payload.accessToken));
    expect(me.data!.me).toEqual(payload.user);
  });

  it('refuses a second account for the same email in any letter case, writing nothing', async () => {
    const user = await signUp(t, 'dup');
    const before = await accountCount();
    const { data, errors } = await t.graphql(REGISTER, { input: { email: user.email.toUpperCase(), password: 'another password', fullName: 'Dup' } });
    expect(data).toBeNull();
    expect(errors![0]).toMatchObject({ message: 'email: an account with this email already exists', extensions: { code: 'BAD_USER_INPUT', field: 'email' } });
    expect(await accountCount()).toBe(before);
  });

  it.each([
    [{ email: 'not-an-email', password: 'long enough pw', fullName: 'X' }, 'email: is not a valid email address'],
    [{ email: 'short@example.com', password: 'too short', fullName: 'X' }, 'password: must be at least 10 characters'],
    [{ email: 'name@example.com', password: 'long enough pw', fullName: '   ' }, 'fullName: must not be empty'],
    [{ email: 'huge@example.com', password: 'x'.repeat(201), fullName: 'X' }, 'password: must be at most 200 characters'],
  ])('rejects %o as BAD_USER_INPUT naming the field, writing nothing', async (input, message) => {
    const before = await accountCount();
    const { errors } = await t.graphql(REGISTER, { input });
    expect(errors![0]).toMatchObject({ message, extensions: { code: 'BAD_USER_INPUT' } });
    expect(await accountCount()).toBe(before);
  });
});

describe('login', () => {
  it('signs in with the email in any case and the right password', async () => {
    const user = await signUp(t, 'login');
    const { data, errors } = await t.graphql(LOGIN, { email: ` ${user.email.toUpperCase()}`, password: user.password });
    expect(errors).toBeUndefined();
    expect(data!.login.user.id).toBe(user.accountId);
  });

  it('gives the same UNAUTHENTICATED answer for a wrong password and an unknown email', async () => {
    const user = await signUp(t, 'wrongpw');
    const wrong = await t.graphql(LOGIN, { email: user.email, password: 'not the password' });
    const unknown = await t.graphql(LOGIN, { email: 'nobody@example.com', password: 'not the password' });
    for (const { data, errors } of [wrong, unknown]) {
      expect(data).toBeNull();
      expect(errors![0]).toMatchObject({ message: 'Email or password is incorrect', extensions: { code: 'UNAUTHENTICATED' } });
    }
  });
});

describe('access tokens', () => {
  it('answers me without a token with UNAUTHENTICATED saying how to sign in', async () => {
    const { errors } = await t.graphql(ME);
    expect(errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(errors![0]!.message).toMatch(/Authorization: Bearer/);
  });

  it.each([
    ['a malformed header', { authorization: 'Token abc' }, /must be "Bearer <accessToken>"/],
    ['a garbage token', { authorization: 'Bearer abc.def.ghi' }, /Access token is not valid/],
  ])('answers me with %s with UNAUTHENTICATED', async (_, headers, message) => {
    const { errors } = await t.graphql(ME, {}, headers);
    expect(errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect(errors![0]!.message).toMatch(message);
  });

  it('says an expired token has expired, and still serves public fields with it', async () => {
    const user = await signUp(t, 'expired');
    const tokens = new AccessTokens(t.app.config.jwtSecret, t.app.config.accessTokenTtlSeconds);
    const { token } = await tokens.sign({ accountId: user.accountId, role: 'USER', tier: 'FREE' }, new Date(Date.now() - 3_600_000));
    const { data, errors } = await t.graphql(`{ stock(symbol: "AAPL") { symbol } me { id } }`, {}, bearer(token));
    expect(data).toBeNull();
    expect(errors![0]!.message).toBe('Access token has expired: get a new one with refreshToken');
    const publicOnly = await t.graphql(`{ stock(symbol: "AAPL") { symbol } }`, {}, bearer(token));
    expect(publicOnly.errors).toBeUndefined();
  });
});

describe('refresh tokens', () => {
  it('rotate on every use: the new pair works and the old refresh token does not', async () => {
    const user = await signUp(t, 'rotate');
    const first = await t.graphql(REFRESH, { token: user.refreshToken });
    expect(first.errors).toBeUndefined();
    expect(first.data!.refreshToken.refreshToken).not.toBe(user.refreshToken);
    expect((await t.graphql(ME, {}, bearer(first.data!.refreshToken.accessToken))).data!.me.id).toBe(user.accountId);
    const second = await t.graphql(REFRESH, { token: first.data!.refreshToken.refreshToken });
    expect(second.errors).toBeUndefined();
  });

  it('treat reuse of a token retired minutes ago as theft and end that whole sign-in', async () => {
    const user = await signUp(t, 'reuse');
    const rotated = (await t.graphql(REFRESH, { token: user.refreshToken })).data!.refreshToken;
    await retireMinutesAgo(user.refreshToken, 5);
    const replay = await t.graphql(REFRESH, { token: user.refreshToken });
    expect(replay.errors![0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    expect(replay.errors![0]!.message).toMatch(/already used/);
    // The thief's replay also retired the legitimate successor.
    const successor = await t.graphql(REFRESH, { token: rotated.refreshToken });
    expect(successor.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });

  it('refuse a second use seconds after the first as a lost race, keeping the new token valid', async () => {
    const user = await signUp(t, 'retry');
    const rotated = (await t.graphql(REFRESH, { token: user.refreshToken })).data!.refreshToken;
    const retry = await t.graphql(REFRESH, { token: user.refreshToken });
    expect(retry.errors![0]).toMatchObject({ message: LOST_RACE, extensions: { code: 'UNAUTHENTICATED' } });
    expect((await t.graphql(REFRESH, { token: rotated.refreshToken })).errors).toBeUndefined();
  });

  it.skipIf(!realPostgres)('let exactly one of two refreshes that both read the token before either writes succeed, round after round', async () => {
    // The barrier: both requests have read the live token and wait to claim it, then go at once.
    // Only the `revokedAt: null` guard of the claim stops the second from also succeeding.
    const user = await signUp(t, 'race');
    for (let round = 0; round < 20; round++) {
      const { token } = await tokens.issue(user.accountId);
      const results = await raceOnLockedRow({
        url: t.user.url!,
        select: 'SELECT 1 FROM refresh_token WHERE token_hash = $1',
        params: [sha256(token)],
        waiters: 2,
        fire: () => [t.graphql(REFRESH, { token }), t.graphql(REFRESH, { token })],
      });
      expect({ round, succeeded: results.filter((r) => !r.errors).length }).toEqual({ round, succeeded: 1 });
      expect(results.find((r) => r.errors)!.errors![0]!.message).toBe(LOST_RACE);
    }
  });

  it('let one of 50 concurrent refreshes win and keep the winner’s new token valid: a lost race is not reuse', async () => {
    const user = await signUp(t, 'race50');
    const fire = () => Array.from({ length: 50 }, () => t.graphql(REFRESH, { token: user.refreshToken }));
    const results = realPostgres
      ? await raceOnLockedRow({
          url: t.user.url!,
          select: 'SELECT 1 FROM refresh_token WHERE token_hash = $1',
          params: [sha256(user.refreshToken)],
          // The test app's user pool holds 4 connections: 4 block on the claim, the rest queue behind them.
          waiters: 4,
          fire,
        })
      : await Promise.all(fire());
    const winners = results.filter((r) => !r.errors);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.message === LOST_RACE)).toHaveLength(49);
    const winner = winners[0]!.data!.refreshToken;
    expect((await t.graphql(ME, {}, bearer(winner.accessToken))).data!.me.id).toBe(user.accountId);
    const next = await t.graphql(REFRESH, { token: winner.refreshToken });
    expect(next.errors).toBeUndefined();
  });

  it('are rejected when unknown', async () => {
    const { errors } = await t.graphql(REFRESH, { token: 'made-up' });
    expect(errors![0]).toMatchObject({ message: 'Refresh token is not valid: sign in again', extensions: { code: 'UNAUTHENTICATED' } });
  });
});

describe('logout', () => {
  it('ends the given sign-in only', async () => {
    const user = await signUp(t, 'logout');
    const other = (await t.graphql(LOGIN, { email: user.email, password: user.password })).data!.login;
    const { data } = await t.graphql(`mutation($r: String) { logout(refreshToken: $r) }`, { r: user.refreshToken }, user.headers);
    expect(data!.logout).toBe(true);
    expect((await t.graphql(REFRESH, { token: user.refreshToken })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.graphql(REFRESH, { token: other.refreshToken })).errors).toBeUndefined();
  });

  it('ends every sign-in when no token is given, and cannot touch another user’s token', async () => {
    const user = await signUp(t, 'logout-all');
    const stranger = await signUp(t, 'stranger');
    const notMine = await t.graphql(`mutation($r: String) { logout(refreshToken: $r) }`, { r: stranger.refreshToken }, user.headers);
    expect(notMine.errors).toBeUndefined();
    expect(notMine.data!.logout).toBe(false);
    expect((await t.graphql(`mutation { logout }`, {}, user.headers)).data!.logout).toBe(true);
    expect((await t.graphql(REFRESH, { token: user.refreshToken })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.graphql(REFRESH, { token: stranger.refreshToken })).errors).toBeUndefined();
  });

  it('ends the access tokens of that sign-in at once, on HTTP as on the websocket', async () => {
    const user = await signUp(t, 'logout-http');
    const other = (await t.graphql(LOGIN, { email: user.email, password: user.password })).data!.login;
    expect((await t.graphql(ME, {}, user.headers)).errors).toBeUndefined();
    await t.graphql(`mutation($r: String) { logout(refreshToken: $r) }`, { r: user.refreshToken }, user.headers);
    const after = await t.graphql(ME, {}, user.headers);
    expect(after.errors![0]).toMatchObject({
      message: 'This sign-in has ended (signed out or its refresh token was reused): sign in again',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect((await t.graphql(`{ stock(symbol: "AAPL") { symbol } }`, {}, user.headers)).errors).toBeUndefined();
    expect((await t.graphql(ME, {}, bearer(other.accessToken))).data!.me.id).toBe(user.accountId);
  });

  it('requires a signed-in user', async () => {
    const { errors } = await t.graphql(`mutation { logout }`);
    expect(errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
  });
});
