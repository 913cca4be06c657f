import { useMutation } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { setAccessToken } from '../auth';
import { LoginDocument, RegisterDocument } from '../gql/graphql';

export function LoginPage({ onSignedIn }: { onSignedIn: () => void }) {
  const [mode, setMode] = useState<'login' | 'register'>('login');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fullName, setFullName] = useState('');
  const [login, loginState] = useMutation(LoginDocument);
  const [register, registerState] = useMutation(RegisterDocument);
  const busy = loginState.loading || registerState.loading;
  const error = mode === 'login' ? loginState.error : registerState.error;

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const token =
        mode === 'login'
          ? (await login({ variables: { email, password } })).data?.login.accessToken
          : (await register({ variables: { input: { email, password, fullName } } })).data?.register.accessToken;
      if (token) {
        setAccessToken(token);
        onSignedIn();
      }
    } catch {
      // Shown from the mutation's error state below.
    }
  }

  return (
    <section className="card narrow">
      <div className="tabs">
        <button type="button" className={mode === 'login' ? 'active' : ''} onClick={() => setMode('login')}>
          Sign in
        </button>
        <button type="button" className={mode === 'register' ? 'active' : ''} onClick={() => setMode('register')}>
          Create account
        </button>
      </div>
      <form onSubmit={submit} className="stack">
        {mode === 'register' && (
          <label>
            Full name
            <input name="fullName" value={fullName} onChange={(e) => setFullName(e.target.value)} required autoComplete="name" />
          </label>
        )}
        <label>
          Email
          <input name="email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoComplete="email" />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
            minLength={mode === 'register' ? 10 : undefined}
            autoComplete={mode === 'register' ? 'new-password' : 'current-password'}
          />
        </label>
        {error && <p className="error" role="alert">{error.message}</p>}
        <button type="submit" className="primary" disabled={busy}>
          {mode === 'login' ? 'Sign in' : 'Create account'}
        </button>
      </form>
    </section>
  );
}
