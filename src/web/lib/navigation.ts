export const HOME_PATH = '/devices';

/** Only same-app paths are allowed as a "return to" target, so the sign-in page is not an open redirect. */
export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return HOME_PATH;
  if (raw === '/sign-in' || raw.startsWith('/sign-in?') || raw.startsWith('/setup')) return HOME_PATH;
  return raw;
}

export function signInPath(returnTo?: string): string {
  if (!returnTo || safeReturnPath(returnTo) === HOME_PATH) return '/sign-in';
  return `/sign-in?${new URLSearchParams({ next: returnTo }).toString()}`;
}

/** The query string each list page last showed, so "back to the list" returns to the same filtered view. */
const lastListSearch = new Map<string, string>();

export function rememberListSearch(path: '/devices' | '/people', search: string): void {
  lastListSearch.set(path, search);
}

export function listPath(path: '/devices' | '/people'): string {
  return `${path}${lastListSearch.get(path) ?? ''}`;
}
