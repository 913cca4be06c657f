import { randomBytes } from 'node:crypto';
import type { TestApp } from './app.js';

export interface SignedUpUser {
  accountId: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
  /** Pass to t.graphql(query, variables, headers) to act as this user. */
  headers: { authorization: string };
}

const REGISTER = `mutation($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id email } }
}`;

/** Registers a fresh account through the API and returns its tokens. */
export async function signUp(t: TestApp, name = 'user'): Promise<SignedUpUser> {
  const email = `${name}-${randomBytes(4).toString('hex')}@example.com`;
  const password = 'correct horse battery staple';
  const { data, errors } = await t.graphql(REGISTER, { input: { email, password, fullName: `Test ${name}` } });
  if (errors) throw new Error(`signUp failed: ${JSON.stringify(errors)}`);
  const payload = data!.register;
  return {
    accountId: payload.user.id,
    email,
    password,
    accessToken: payload.accessToken,
    refreshToken: payload.refreshToken,
    headers: { authorization: `Bearer ${payload.accessToken}` },
  };
}
