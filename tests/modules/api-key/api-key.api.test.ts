import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_API_KEYS_PER_USER } from '../../../src/modules/api-key/api-key.service.js';
import { signUp } from '../../support/accounts.js';
import { startTestApp, type TestApp } from '../../support/app.js';

const CREATE = `mutation($name: String!) { createApiKey(name: $name) { key apiKey { id name prefix createdAt lastUsedAt } } }`;
const LIST = `{ apiKeys { id name prefix createdAt lastUsedAt } }`;
const REVOKE = `mutation($id: ID!) { revokeApiKey(id: $id) }`;
const ME = `{ me { id role tier } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function createKey(headers: Record<string, string>, name = 'deploy bot') {
  const { data, errors } = await t.graphql(CREATE, { name }, headers);
  expect(errors).toBeUndefined();
  return data!.createApiKey as { key: string; apiKey: { id: string; name: string; prefix: string; createdAt: string; lastUsedAt: string | null } };
}

describe('API keys', () => {
  it('creates a key shown once, stores only its sha256 and a display prefix, and lists it without the key', async () => {
    const user = await signUp(t, 'keys');
    const created = await createKey(user.headers, '  deploy bot ');
    expect(created.key).toMatch(/^mg_[A-Za-z0-9_-]{32}$/);
    expect(created.apiKey).toMatchObject({ name: 'deploy bot', prefix: created.key.slice(0, 11), lastUsedAt: null });

    const rows = await t.user.sql.query<{ key_hash: string; prefix: string; account_id: string }>(
      'SELECT key_hash, prefix, account_id FROM api_key WHERE id = $1',
      [created.apiKey.id],
    );
    expect(rows).toEqual([{ key_hash: sha256(created.key), prefix: created.key.slice(0, 11), account_id: user.accountId }]);
    const anywhere = await t.user.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_key WHERE key_hash = $1 OR prefix = $1 OR name = $1`, [created.key]);
    expect(Number(anywhere[0]!.n)).toBe(0);

    const listed = await t.graphql(LIST, {}, user.headers);
    expect(listed.data!.apiKeys).toEqual([created.apiKey]);
    expect(JSON.stringify(listed)).not.toContain(created.key);
  });

  it('accepts the key as "Authorization: ApiKey <key>" and as "X-Api-Key", acting as the owner with their role and tier', async () => {
    const user = await signUp(t, 'keyheaders');
    await t.user.sql.query(`UPDATE account SET tier = 'PRO' WHERE id = $1`, [user.accountId]);
    const { key } = await createKey(user.headers);
    for (const headers of [{ authorization: `ApiKey ${key}` }, { 'x-api-key': key }] as Record<string, string>[]) {
      const me = await t.graphql(ME, {}, headers);
      expect(me.errors).toBeUndefined();
      expect(me.data!.me).toEqual({ id: user.accountId, role: 'USER', tier: 'PRO' });
    }
    const [row] = await t.user.sql.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_key WHERE key_hash = $1', [sha256(key)]);
    // Recorded off the request path; wait for it by polling, not by time.
    let lastUsed = row!.last_used_at;
    for (let i = 0; i < 50 && !lastUsed; i += 1) {
      await new Promise((done) => setTimeout(done, 20));
      lastUsed = (await t.user.sql.query<{ last_used_at: Date | null }>('SELECT last_used_at FROM api_key WHERE key_hash = $1', [sha256(key)]))[0]!.last_used_at;
    }
    expect(lastUsed).not.toBeNull();
  });

  it('refuses an unknown or malformed key as UNAUTHENTICATED', async () => {
    for (const headers of [{ 'x-api-key': 'mg_not-a-real-key-000000000000000000' }, { authorization: 'ApiKey nope' }, { authorization: 'Basic abc' }] as Record<string, string>[]) {
      const me = await t.graphql(ME, {}, headers);
      expect(me.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    }
  });

  it('refuses a revoked key at once and no longer lists it', async () => {
    const user = await signUp(t, 'revoke');
    const { key, apiKey } = await createKey(user.headers);
    expect((await t.graphql(ME, {}, { 'x-api-key': key })).errors).toBeUndefined();
    const revoked = await t.graphql(REVOKE, { id: apiKey.id }, user.headers);
    expect(revoked.data!.revokeApiKey).toBe(true);
    const me = await t.graphql(ME, {}, { 'x-api-key': key });
    expect(me.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.graphql(LIST, {}, user.headers)).data!.apiKeys).toEqual([]);
    const again = await t.graphql(REVOKE, { id: apiKey.id }, user.headers);
    expect(again.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it("answers NOT_FOUND to revoking another user's key, and leaves it working", async () => {
    const owner = await signUp(t, 'owner');
    const intruder = await signUp(t, 'intruder');
    const { key, apiKey } = await createKey(owner.headers);
    const attempt = await t.graphql(REVOKE, { id: apiKey.id }, intruder.headers);
    expect(attempt.errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await t.graphql(REVOKE, { id: 'not-a-uuid' }, intruder.headers)).errors![0]!.extensions!.code).toBe('NOT_FOUND');
    expect((await t.graphql(LIST, {}, intruder.headers)).data!.apiKeys).toEqual([]);
    expect((await t.graphql(ME, {}, { 'x-api-key': key })).data!.me.id).toBe(owner.accountId);
  });

  it(`caps a user at ${MAX_API_KEYS_PER_USER} keys with a clear error, and a revoked key frees a place`, async () => {
    const user = await signUp(t, 'cap');
    const ids: string[] = [];
    for (let i = 0; i < MAX_API_KEYS_PER_USER; i += 1) ids.push((await createKey(user.headers, `key ${i}`)).apiKey.id);
    const over = await t.graphql(CREATE, { name: 'one too many' }, user.headers);
    expect(over.errors![0]).toMatchObject({
      message: `You already have ${MAX_API_KEYS_PER_USER} API keys, the most allowed: revoke one first`,
      extensions: { code: 'BAD_USER_INPUT' },
    });
    await t.graphql(REVOKE, { id: ids[0] }, user.headers);
    expect((await t.graphql(CREATE, { name: 'replacement' }, user.headers)).errors).toBeUndefined();
  });

  it('needs a signed-in user to create or list keys, and a name', async () => {
    expect((await t.graphql(CREATE, { name: 'x' })).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    expect((await t.graphql(LIST)).errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
    const user = await signUp(t, 'noname');
    expect((await t.graphql(CREATE, { name: '   ' }, user.headers)).errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
  });
});
