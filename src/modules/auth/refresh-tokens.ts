import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { UserClient } from '../../db/database.js';
import { UnauthenticatedError } from '../../graphql/errors.js';

const DAY_MS = 86_400_000;

/** How long after a rotation presenting the old token again counts as a lost race rather than replay. */
export const CONCURRENT_REFRESH_GRACE_MS = 10_000;

function lostRace(): UnauthenticatedError {
  return new UnauthenticatedError(
    'Refresh token was just used by another request at the same time: use the tokens that request received',
  );
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** The sign-in this token belongs to; access tokens carry it as `sid`. */
  familyId: string;
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
    return { token, expiresAt, familyId };
  }

  /** Retires `token` and returns its account with a successor in the same family. */
  async rotate(token: string): Promise<{ accountId: string; next: IssuedRefreshToken }> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) } });
    if (!row) throw new UnauthenticatedError('Refresh token is not valid: sign in again');
    if (row.revokedAt) return this.refuseRetired(row);
    if (row.expiresAt.getTime() <= Date.now()) throw new UnauthenticatedError('Refresh token has expired: sign in again');

    const nextId = randomUUID();
    // Claim the token with a conditional update, so two concurrent refreshes cannot both succeed.
    const claimed = await this.db.refreshToken.updateMany({
      where: { id: row.id, revokedAt: null },
      data: { revokedAt: new Date(), replacedById: nextId },
    });
    // The token was live when we read it a moment ago: whoever retired it since was concurrent
    // with us (a rotation that won the race, or a logout that already revoked the family).
    // Losing that race is not reuse, so the family is left alone.
    if (claimed.count === 0) throw lostRace();
    return { accountId: row.accountId, next: await this.issue(row.accountId, row.familyId, nextId) };
  }

  /**
   * A token that was already retired when it was read. The rule:
   * - rotated (replacedById set) less than CONCURRENT_REFRESH_GRACE_MS ago: a request that
   *   raced the rotation and lost (a client firing several refreshes at once, a retry over a
   *   flaky network). Refused, but the family, and so the winner's new token, stays valid.
   * - anything else (rotated longer ago, or revoked by logout): replay of a token that was
   *   stolen or leaked. The whole family is revoked, ending the thief's and the owner's session.
   * The cost: a thief who replays an old token within the grace after the owner refreshed is
   *   refused without the family being revoked (he gets no tokens either way), and an owner who
   *   refreshes within the grace after a thief did is refused without alarm; both windows are a
   *   few seconds wide. API processes' clocks must agree to well within the grace (NTP).
   */
  private async refuseRetired(row: { familyId: string; revokedAt: Date | null; replacedById: string | null }): Promise<never> {
    const sinceRetired = Date.now() - (row.revokedAt?.getTime() ?? 0);
    if (row.replacedById !== null && sinceRetired < CONCURRENT_REFRESH_GRACE_MS) throw lostRace();
    await this.revokeFamily(row.familyId);
    throw new UnauthenticatedError('Refresh token was already used: every session of that sign-in has been ended, sign in again');
  }

  /** Ends the sign-in `token` belongs to, if it is the account's; false when it is unknown. */
  async revokeByToken(accountId: string, token: string): Promise<boolean> {
    const row = await this.db.refreshToken.findUnique({ where: { tokenHash: hashOf(token) } });
    if (!row || row.accountId !== accountId) return false;
    await this.revokeFamily(row.familyId);
    return true;
  }

  /** Whether the sign-in still has a token that was neither rotated away nor revoked (logout, replay). */
  async isSessionLive(familyId: string): Promise<boolean> {
    const live = await this.db.refreshToken.findFirst({ where: { familyId, revokedAt: null }, select: { id: true } });
    return live !== null;
  }

  async revokeAll(accountId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { accountId, revokedAt: null }, data: { revokedAt: new Date() } });
  }

  private async revokeFamily(familyId: string): Promise<void> {
    await this.db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: new Date() } });
  }
}
