import { errors, jwtVerify, SignJWT } from 'jose';
import type { AccountRole, SubscriptionTier, Viewer } from '../../graphql/auth.js';

const ISSUER = 'marketgraph';
const AUDIENCE = 'marketgraph-api';
const ROLES: readonly AccountRole[] = ['USER', 'ADMIN'];
const TIERS: readonly SubscriptionTier[] = ['FREE', 'PRO'];

/** Short-lived HS256 JWTs: the viewer's id, role and tier, so requests need no database read to authenticate. */
export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async sign(viewer: Viewer, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const issuedAt = Math.floor(now.getTime() / 1000);
    const token = await new SignJWT({ role: viewer.role, tier: viewer.tier, ...(viewer.sessionId ? { sid: viewer.sessionId } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(viewer.accountId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.ttlSeconds)
      .sign(this.key);
    return { token, expiresAt: new Date((issuedAt + this.ttlSeconds) * 1000) };
  }

  /** The viewer, or a reason fit to show the client. */
  /** The viewer a valid token names, and when it expires (epoch ms); or why it is refused. */
  async verify(token: string): Promise<{ viewer: Viewer; expiresAt: number } | { error: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
      const role = payload.role as AccountRole;
      const tier = payload.tier as SubscriptionTier;
      if (!payload.sub || !ROLES.includes(role) || !TIERS.includes(tier) || typeof payload.exp !== 'number') return { error: 'Access token is not valid' };
      const sessionId = typeof payload.sid === 'string' ? payload.sid : undefined;
      return { viewer: { accountId: payload.sub, role, tier, ...(sessionId ? { sessionId } : {}) }, expiresAt: payload.exp * 1000 };
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { error: 'Access token has expired: get a new one with refreshToken' };
      return { error: 'Access token is not valid' };
    }
  }
}

/** The token from an `Authorization: Bearer <token>` header value. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}
