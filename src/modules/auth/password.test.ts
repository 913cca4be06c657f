import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse battery staple', 12);
    expect(stored).toMatch(/^scrypt\$12\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(await verifyPassword('correct horse battery staple', stored)).toBe(true);
    expect(await verifyPassword('correct horse battery stapler', stored)).toBe(false);
  });

  it('salts every hash, so equal passwords do not give equal hashes', async () => {
    expect(await hashPassword('same password!', 12)).not.toBe(await hashPassword('same password!', 12));
  });

  it('still verifies hashes made with another cost', async () => {
    const old = await hashPassword('a long enough password', 13);
    expect(await verifyPassword('a long enough password', old)).toBe(true);
  });

  it('treats Unicode compositions of the same password alike', async () => {
    const stored = await hashPassword('caf\u00e9 au lait!', 12);
    expect(await verifyPassword('cafe\u0301 au lait!', stored)).toBe(true);
  });

  it('rejects a stored value that is not an scrypt hash instead of throwing', async () => {
    expect(await verifyPassword('anything', 'plaintext')).toBe(false);
  });
});
