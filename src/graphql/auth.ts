import { UnauthenticatedError, ForbiddenError } from './errors.js';

export type AccountRole = 'USER' | 'ADMIN';
export type SubscriptionTier = 'FREE' | 'PRO';

/** Who is calling, from a verified access token or API key (an API key acts as its owner, with their role and tier). */
export interface Viewer {
  accountId: string;
  role: AccountRole;
  tier: SubscriptionTier;
  /** The sign-in (refresh-token family) a bearer token was issued for; absent for API keys. */
  sessionId?: string;
}

/** The part of the context that says who is calling. */
export interface AuthState {
  viewer: Viewer | null;
  /** Why a presented token was not accepted (expired, malformed…); absent when none was presented. */
  authError?: string;
  /** When the presented access token expires (epoch ms); absent for API keys, which do not. */
  expiresAt?: number;
}

/** The viewer, or UNAUTHENTICATED saying why (no token, or what was wrong with it). */
export function requireViewer(auth: AuthState): Viewer {
  if (auth.viewer) return auth.viewer;
  throw new UnauthenticatedError(auth.authError ?? 'You must be signed in to do this: send "Authorization: Bearer <accessToken>" or an API key ("Authorization: ApiKey <key>" or "X-Api-Key")');
}

export function requireAdmin(auth: AuthState): Viewer {
  const viewer = requireViewer(auth);
  if (viewer.role !== 'ADMIN') throw new ForbiddenError('Only administrators may do this');
  return viewer;
}
