/**
 * Sign in with an API token. The token is checked against the admin API (an editor route), and its role is
 * learnt from what it may do (the token list needs admin). It is kept in sessionStorage only: closing the tab
 * or signing out forgets it. A 401 from any later call signs out with a reason the sign-in page shows (kept in
 * sessionStorage too, so a reload right after still says why).
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, configureClient } from './api/client';

export type Role = 'editor' | 'admin';
export interface Session {
  token: string;
  role: Role;
}

const STORAGE_KEY = 'aerial.admin.session';
const ENDED_KEY = 'aerial.admin.session-ended';

function stored(): Session | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return value && typeof value.token === 'string' && (value.role === 'editor' || value.role === 'admin')
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}

/** The role of a token, or an ApiError (401: unknown or revoked; 403: a token without editor rights). */
export async function probeRole(token: string): Promise<Role> {
  const headers = { Authorization: `Bearer ${token}` };
  const channels = await api.GET('/api/admin/channels', { headers });
  if (!channels.response.ok) {
    const body = (channels.error ?? {}) as { error?: string };
    throw new ApiError(channels.response.status, body.error ?? channels.response.statusText);
  }
  const tokens = await api.GET('/api/admin/tokens', { headers });
  return tokens.response.ok ? 'admin' : 'editor';
}

interface SessionContextValue {
  session: Session | undefined;
  /** Why the last session ended without the user asking ('expired' after a 401). */
  endedBecause: 'expired' | undefined;
  signIn(session: Session): void;
  signOut(): void;
}

const SessionContext = createContext<SessionContextValue | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | undefined>(stored);
  const [endedBecause, setEndedBecause] = useState<'expired' | undefined>(() =>
    sessionStorage.getItem(ENDED_KEY) === 'expired' ? 'expired' : undefined,
  );

  const end = useCallback(
    (reason?: 'expired') => {
      sessionStorage.removeItem(STORAGE_KEY);
      if (reason) sessionStorage.setItem(ENDED_KEY, reason);
      else sessionStorage.removeItem(ENDED_KEY);
      configureClient(undefined);
      queryClient.clear();
      setEndedBecause(reason);
      setSession(undefined);
    },
    [queryClient],
  );
  const signIn = useCallback(
    (next: Session) => {
      // The role was just probed: no second check of the same token right after signing in.
      queryClient.setQueryData(['session-check', next.token], next.role);
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(next));
      sessionStorage.removeItem(ENDED_KEY);
      setEndedBecause(undefined);
      setSession(next);
    },
    [queryClient],
  );
  // A session restored from sessionStorage (a reload) is checked again: its token may have been revoked, or
  // its role changed, meanwhile. Screens reading only public routes would not notice otherwise.
  const check = useQuery({
    queryKey: ['session-check', session?.token],
    queryFn: () => probeRole(session!.token),
    enabled: session !== undefined,
    staleTime: 5 * 60_000,
    retry: false,
  });
  useEffect(() => {
    if (check.error instanceof ApiError && check.error.status === 401) end('expired');
    else if (session && check.data && check.data !== session.role) signIn({ ...session, role: check.data });
  }, [check.error, check.data, session, end, signIn]);
  // The client follows the session synchronously, so the first query of a new session carries its token.
  configureClient(session?.token, session ? () => end('expired') : undefined);

  const value = useMemo(
    () => ({ session, endedBecause, signIn, signOut: () => end() }),
    [session, endedBecause, signIn, end],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** Whether the signed-in role may do what needs `role`. */
export function useCan(role: Role): boolean {
  const { session } = useSession();
  return session !== undefined && (role === 'editor' || session.role === 'admin');
}
