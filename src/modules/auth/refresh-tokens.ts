import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UserClient } from '../../db/database.js';
import { UnauthenticatedError } from '../../graphql/errors.js';

const DAY_MS = 86_400_000;

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Opaque refresh tokens, stored only as sha256. Each use rotates the token
 * within its family (one family per login); presenting a retired token means
 * it was stolen or replayed, so the whole family is revoked.
 */
export class RefreshTokens {
  constructor(
    private readonly db: UserClient,
    private readonly ttlDays: number,
  ) {}

  async issue(accountId: string, familyId: string = randomUUID(), id: string = randomUUID()): Promise<IssuedRefreshToken> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlDays * DAY_MS);
    await this.db.refreshToken.create({ data: { id, accountId, familyId, tokenHash: hashOf(token), expiresAt } });
    return { token, expiresAt };
  }

  /** Retires `token` and returns its account with a successor in the same family. */
  async rotate(token: string): Promise<{ accountId: string; next: IssuedRefreshToken }> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) } });
    if (!row) throw new UnauthenticatedError('Refresh token is not valid: sign in again');
    if (row.revokedAt) {
      await this.revokeFamily(row.familyId);
      throw new UnauthenticatedError('Refresh token was already used: every session of that sign-in has been ended, sign in again');
    }
    if (row.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('Refresh token has expired: sign in again');

    const nextId = randomUUID();
    // Claim the token with a conditional update, so two concurrent refreshes cannot both succeed.
    const claimed = await this.db.refreshToken.updateMany({
      where: { id: row.id, revokedAt: null },
      data: { revokedAt: new Date(), replacedById: nextId },
    });
    if (claimed.count === 0) {
      await this.revokeFamily(row.familyId);
      throw new UnauthenticatedError('Refresh token was already used: every session of that sign-in has been ended, sign in again');
    }
    return { accountId: row.accountId, next: await this.issue(row.accountId, row.familyId, nextId) };
  }

  /** Ends the sign-in `token` belongs to, if it is the account's; false when it is unknown. */
  async revokeByToken(accountId: string, token: string): Promise<boolean> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) } });
    if (!row || row.accountId !== accountId) return false;
    await this.revokeFamily(row.familyId);
    return true;
  }

  async revokeAll(accountId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { accountId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
