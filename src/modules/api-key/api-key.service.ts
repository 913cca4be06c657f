import { createHash, randomBytes } from 'node:crypto';
import type { UserClient } from '../../db/database.js';
import type { AccountRole, AuthState, SubscriptionTier, Viewer } from '../../graphql/auth.js';
import { BadUserInputError, NotFoundError } from '../../graphql/errors.js';
import type { ApiKey, ApiKeyCreated } from './api-key.type.js';
import { apiKeyIdSchema } from './api-key.validation.js';

export const API_KEY_PREFIX = 'mg_';
/** Keys a user may hold at once (revoked ones do not count). */
export const MAX_API_KEYS_PER_USER = 20;
/** How long a verified key is trusted without a database read; a revocation elsewhere takes at most this long. */
const VERIFIED_TTL_MS = 10_000;
/** lastUsedAt is written at most this often per key. */
const LAST_USED_EVERY_MS = 60_000;
const DISPLAY_PREFIX_LENGTH = API_KEY_PREFIX.length + 8;
const CACHE_MAX = 10_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

type ApiKeyRow = { id: string; name: string; prefix: string; createdAt: Date; lastUsedAt: Date | null };

function toApiKey(row: ApiKeyRow): ApiKey {
  return { id: row.id, name: row.name, prefix: row.prefix, createdAt: row.createdAt, lastUsedAt: row.lastUsedAt };
}

type Verified = { keyId: string; viewer: Viewer; until: number };

/**
 * Turns a presented key into its owner, by hash. Long-lived (one per process):
 * a short-lived cache spares the database a read per request.
 */
export class ApiKeyVerifier {
  private readonly verified = new Map<string, Verified>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(
    private readonly db: UserClient,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async verify(key: string): Promise<AuthState> {
    const refused = { viewer: null, authError: 'API key is not valid or has been revoked' };
    if (!key.startsWith(API_KEY_PREFIX) || key.length > 100) return refused;
    const hash = hashApiKey(key);
    const now = Date.now();
    let entry = this.verified.get(hash);
    if (!entry || entry.until < now) {
      const row = await this.db.apiKey.findUnique({
        where: { keyHash: hash },
        select: { id: true, revokedAt: true, account: { select: { id: true, role: true, tier: true } } },
      });
      if (!row || row.revokedAt) {
        this.verified.delete(hash);
        return refused;
      }
      entry = {
        keyId: row.id,
        viewer: { accountId: row.account.id, role: row.account.role as AccountRole, tier: row.account.tier as SubscriptionTier },
        until: now + VERIFIED_TTL_MS,
      };
      if (this.verified.size >= CACHE_MAX) this.verified.clear();
      this.verified.set(hash, entry);
    }
    this.touch(entry.keyId, now);
    return { viewer: entry.viewer };
  }

  /** Forgets cached keys of an account in this process (after a revocation). */
  forget(keyIds: readonly string[]): void {
    for (const [hash, entry] of this.verified) if (keyIds.includes(entry.keyId)) this.verified.delete(hash);
  }

  private touch(keyId: string, now: number): void {
    const last = this.lastUsedWritten.get(keyId) ?? 0;
    if (now - last < LAST_USED_EVERY_MS) return;
    this.lastUsedWritten.set(keyId, now);
    if (this.lastUsedWritten.size > CACHE_MAX) this.lastUsedWritten.clear();
    // The condition keeps other processes from rewriting it within the minute too. Not awaited: off the request's path.
    void this.db.apiKey
      .updateMany({
        where: { id: keyId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now - LAST_USED_EVERY_MS) } }] },
        data: { lastUsedAt: new Date(now) },
      })
      .catch(this.onError);
  }
}

/** Create, list and revoke the viewer's own keys. */
export class ApiKeyService {
  constructor(
    private readonly db: UserClient,
    private readonly verifier: ApiKeyVerifier,
  ) {}

  async create(viewer: Viewer, name: string): Promise<ApiKeyCreated> {
    const active = await this.db.apiKey.count({ where: { accountId: viewer.accountId, revokedAt: null } });
    if (active >= MAX_API_KEYS_PER_USER) {
      throw new BadUserInputError(`You already have ${MAX_API_KEYS_PER_USER} API keys, the most allowed: revoke one first`, 'name');
    }
    const key = `${API_KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
    const row = await this.db.apiKey.create({
      data: { accountId: viewer.accountId, name, prefix: key.slice(0, DISPLAY_PREFIX_LENGTH), keyHash: hashApiKey(key) },
    });
    return { key, apiKey: toApiKey(row) };
  }

  async list(viewer: Viewer): Promise<ApiKey[]> {
    const rows = await this.db.apiKey.findMany({
      where: { accountId: viewer.accountId, revokedAt: null },
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
    });
    return rows.map(toApiKey);
  }

  /** Another user's key, an unknown id and an already revoked key all look the same: NOT_FOUND. */
  async revoke(viewer: Viewer, id: string): Promise<boolean> {
    const notFound = new NotFoundError(`No API key ${id}`);
    if (!apiKeyIdSchema.safeParse(id).success) throw notFound;
    const { count } = await this.db.apiKey.updateMany({
      where: { id, accountId: viewer.accountId, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    if (count === 0) throw notFound;
    this.verifier.forget([id]);
    return true;
  }
}
