import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, sessionTokenStore, type TokenResponse } from '../services/api';

/** Why the user is on the log-in page without having asked for it. */
export type AuthNotice = 'expired' | null;

interface Auth {
  token: string | null;
  notice: AuthNotice;
  signIn: (response: TokenResponse) => void;
  signOut: () => void;
}

const AuthContext = createContext<Auth | null>(null);

function validStoredToken(): string | null {
  const expiresAt = sessionTokenStore.expiresAt();
  if (expiresAt !== null && expiresAt <= Date.now()) {
    sessionTokenStore.clear();
    return null;
  }
  return sessionTokenStore.get();
}

/**
 * The session: the bearer token (sessionStorage), dropped on log-out, at its expiry, or when an
 * authenticated call answers 401 — the last two leave the 'expired' notice for the log-in page.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(validStoredToken);
  const [notice, setNotice] = useState<AuthNotice>(null);

  const expire = useCallback(() => {
    const hadSession = sessionTokenStore.get() !== null;
    sessionTokenStore.clear();
    if (hadSession) {
      setNotice('expired');
    }
    setToken(null);
  }, []);

  useEffect(() => api.onUnauthorized(expire), [expire]);

  useEffect(() => {
    const expiresAt = sessionTokenStore.expiresAt();
    if (token === null || expiresAt === null) {
      return undefined;
    }
    // setTimeout takes at most 2^31-1 ms; a longer-lived token is simply checked again by the server.
    const delay = Math.min(expiresAt - Date.now(), 2_147_483_647);
    const timer = setTimeout(expire, Math.max(delay, 0));
    return () => clearTimeout(timer);
  }, [token, expire]);

  const signIn = useCallback((response: TokenResponse) => {
    sessionTokenStore.set(response.access_token, response.expires_in);
    setNotice(null);
    setToken(response.access_token);
  }, []);

  const signOut = useCallback(() => {
    sessionTokenStore.clear();
    setNotice(null);
    setToken(null);
  }, []);

  const value = useMemo(() => ({ token, notice, signIn, signOut }), [token, notice, signIn, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const value = useContext(AuthContext);
  if (!value) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return value;
}
