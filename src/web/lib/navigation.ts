export const HOME_PATH = '/';

/** Whitespace, control characters and backslashes, which URL parsers drop or read as slashes. */
function isIgnoredByUrlParsers(char: string): boolean {
  const code = char.charCodeAt(0);
  return code <= 0x20 || (code >= 0x7f && code <= 0xa0) || char === '\\';
}

/** Only same-app paths are allowed as a "return to" target, so the sign-in page is not an open redirect. */
export function safeReturnPath(raw: string | null | undefined): string {
  // Browsers drop tabs and newlines and read backslashes as slashes, so `/\t/evil` would leave the app.
  if (!raw?.startsWith('/') || [...raw].some(isIgnoredByUrlParsers)) return HOME_PATH;
  const probe = 'https://satchel.invalid';
  const resolved = new URL(raw, probe);
  // `/.//host` normalizes to `//host`, which is another origin again.
  if (resolved.origin !== probe || resolved.pathname.startsWith('//')) return HOME_PATH;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  if (path === '/sign-in' || path.startsWith('/sign-in?') || path.startsWith('/setup')) return HOME_PATH;
  return path;
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
