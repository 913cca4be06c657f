import type { UserClient } from '../../db/database.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { AuthState, Viewer } from '../../graphql/auth.js';
import { BadUserInputError, RateLimitedError, ServiceUnavailableError, UnauthenticatedError } from '../../graphql/errors.js';
import { bearerToken, type AccessTokens } from './access-token.js';
import type { AuthPayload, User } from './auth.type.js';
import type { RegisterInput } from './auth.validation.js';
import { hashPassword, verifyPassword } from './password.js';
import type { IssuedRefreshToken, RefreshTokens } from './refresh-tokens.js';

/** How long one process trusts its last answer to "is this sign-in still live?". */
export const SESSION_CHECK_TTL_MS = 5_000;
const SIGNED_OUT = 'This sign-in has ended (signed out or its refresh token was reused): sign in again';

/** What a caller presented: the Authorization header (Bearer or ApiKey) and/or an X-Api-Key header. */
export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
}

/** Credentials from HTTP headers (node's lower-cased header names). */
export function credentialsFromHeaders(headers: Record<string, string | string[] | undefined>): Credentials {
  const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);
  return { authorization: first(headers.authorization), apiKey: first(headers['x-api-key']) };
}

/** Credentials from graphql-ws connectionParams: `authorization` ("Bearer …" | "ApiKey …"), `accessToken`, `x-api-key` or `apiKey`. */
export function credentialsFromConnectionParams(params: Readonly<Record<string, unknown>> | undefined): Credentials {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const accessToken = text(params?.accessToken);
  return {
    authorization: text(params?.authorization) ?? text(params?.Authorization) ?? (accessToken ? `Bearer ${accessToken}` : undefined),
    apiKey: text(params?.['x-api-key']) ?? text(params?.apiKey),
  };
}

/** Checks API keys (src/modules/api-key). */
export interface ApiKeyAuthenticator {
  verify(key: string): Promise<AuthState>;
}

/** Failed sign-ins per account and IP (src/ratelimit). */
export interface LoginGuard {
  blockedFor(email: string, ip: string): Promise<number | null>;
  recordFailure(email: string, ip: string): Promise<void>;
  recordSuccess(email: string): Promise<void>;
}

type AccountRow = { id: string; email: string; fullName: string; role: string; tier: string; createdAt: Date };

function toUser(row: AccountRow): User {
  return { id: row.id, email: row.email, fullName: row.fullName, role: row.role as User['role'], tier: row.tier as User['tier'], createdAt: row.createdAt };
}

/**
 * Shared by every request: stateless apart from the database. Access tokens
 * are checked without a database read; refresh tokens always hit the database.
 */
export class AuthService {
  /** Verified against when an email is unknown, so a miss costs as long as a hit (no account probing by timing). */
  private decoyHash?: Promise<string>;
  private readonly sessionChecks = new Map<string, { live: boolean; at: number }>();

  constructor(
    private readonly db: UserClient,
    private readonly accessTokens: AccessTokens,
    private readonly refreshTokens: RefreshTokens,
    private readonly passwordHashCost: number,
    private readonly apiKeys?: ApiKeyAuthenticator,
    private readonly loginGuard?: LoginGuard,
  ) {}

  /**
   * Who sent this request: `Authorization: Bearer <accessToken>`, `Authorization: ApiKey <key>`
   * or `X-Api-Key: <key>`. A bad credential is remembered, not thrown. A bare string is an Authorization header.
   */
  async authenticate(credentials: Credentials | string | undefined): Promise<AuthState> {
    const { authorization, apiKey } = typeof credentials === 'string' || credentials === undefined ? { authorization: credentials } : credentials;
    const keyFromHeader = authorization?.match(/^ApiKey\s+(\S+)\s*$/i)?.[1];
    const key = apiKey?.trim() || keyFromHeader;
    if (key) return this.apiKeys ? this.apiKeys.verify(key) : { viewer: null, authError: 'API keys are not accepted here' };
    if (!authorization) return { viewer: null };
    const token = bearerToken(authorization);
    if (!token) return { viewer: null, authError: 'Authorization header must be "Bearer <accessToken>" or "ApiKey <key>"' };
    const result = await this.accessTokens.verify(token);
    if (!('viewer' in result)) return { viewer: null, authError: result.error };
    // A signed-out token must not outlive its sign-in by up to its whole TTL on HTTP either.
    if (!(await this.isStillSignedIn(result.viewer))) return { viewer: null, authError: SIGNED_OUT };
    return { viewer: result.viewer, expiresAt: result.expiresAt };
  }

  async register(input: RegisterInput): Promise<AuthPayload> {
    const passwordHash = await hashPassword(input.password, this.passwordHashCost);
    try {
      const account = await this.db.account.create({ data: { email: input.email, fullName: input.fullName, passwordHash } });
      return this.signIn(account);
    } catch (error) {
      if (isUniqueViolation(error)) throw new BadUserInputError('email: an account with this email already exists', 'email');
      throw error;
    }
  }

  /** `ip` keys the per-IP failure budget; once this email or IP has spent its failures, even a right password is refused. */
  async login(email: string, password: string, ip = 'unknown'): Promise<AuthPayload> {
    const wait = await this.loginGuard?.blockedFor(email, ip);
    if (wait != null) throw new RateLimitedError(wait, `Too many failed sign-ins; retry in ${wait} s`);
    const account = await this.db.account.findUnique({ where: { email } });
    const valid = account
      ? await verifyPassword(password, account.passwordHash)
      : (await verifyPassword(password, await this.decoy()), false);
    if (!account || !valid) {
      await this.loginGuard?.recordFailure(email, ip);
      throw new UnauthenticatedError('Email or password is incorrect');
    }
    await this.loginGuard?.recordSuccess(email);
    return this.signIn(account);
  }

  async refresh(token: string): Promise<AuthPayload> {
    const { accountId, next } = await this.refreshTokens.rotate(token);
    const account = await this.db.account.findUnique({ where: { id: accountId } });
    if (!account) throw new UnauthenticatedError('Refresh token is not valid: sign in again');
    return this.payload(account, next);
  }

  /** Ends the sign-in of `refreshToken`, or every sign-in of the viewer when none is given. */
  async logout(viewer: Viewer, refreshToken: string | undefined): Promise<boolean> {
    // This process forgets at once; other processes within SESSION_CHECK_TTL_MS.
    this.sessionChecks.clear();
    if (refreshToken === undefined) {
      await this.refreshTokens.revokeAll(viewer.accountId);
      return true;
    }
    return this.refreshTokens.revokeByToken(viewer.accountId, refreshToken);
  }

  /**
   * Whether a viewer's credential still stands: its sign-in not ended by logout
   * or replay. A bearer token is otherwise valid until it expires; every HTTP
   * request asks this through authenticate(), and the websocket on every
   * operation too, because a socket outlives many requests.
   * Answers are cached for SESSION_CHECK_TTL_MS per process.
   */
  async isStillSignedIn(viewer: Viewer): Promise<boolean> {
    if (!viewer.sessionId) return true;
    const cached = this.sessionChecks.get(viewer.sessionId);
    if (cached && Date.now() - cached.at < SESSION_CHECK_TTL_MS) return cached.live;
    let live: boolean;
    try {
      live = await this.refreshTokens.isSessionLive(viewer.sessionId);
    } catch (error) {
      // The user database is down: a validly signed, unexpired token is let through (and the answer cached, so
      // requests do not each wait out the DB timeout), or no stock-only query would answer during an outage.
      if (!(error instanceof ServiceUnavailableError)) throw error;
      live = true;
    }
    if (this.sessionChecks.size > 10_000) this.sessionChecks.clear();
    this.sessionChecks.set(viewer.sessionId, { live, at: Date.now() });
    return live;
  }

  async me(viewer: Viewer): Promise<User> {
    const account = await this.db.account.findUnique({ where: { id: viewer.accountId } });
    // A valid token for a deleted account.
    if (!account) throw new UnauthenticatedError('This account no longer exists');
    return toUser(account);
  }

  private async signIn(account: AccountRow): Promise<AuthPayload> {
    return this.payload(account, await this.refreshTokens.issue(account.id));
  }

  private async payload(account: AccountRow, refresh: IssuedRefreshToken): Promise<AuthPayload> {
    const user = toUser(account);
    const access = await this.accessTokens.sign({ accountId: user.id, role: user.role, tier: user.tier, sessionId: refresh.familyId });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: refresh.token,
      refreshTokenExpiresAt: refresh.expiresAt,
      user,
    };
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword('decoy password that never matches', this.passwordHashCost);
    return this.decoyHash;
  }
}
