/**
 * The caller's bearer token in a page. A front end gets it from its identity provider; the
 * platform's own pages take it from the URL's fragment (`#token=…`, which a browser never sends to
 * a server: `npm start` prints such links for the demo), keep it for the tab only
 * (sessionStorage) and take it out of the address bar at once, or from the sign-in form.
 */
const KEY = 'ips.token';

export function takeTokenFromLocation(): void {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const token = fragment.get('token');
  if (!token) return;
  sessionStorage.setItem(KEY, token);
  fragment.delete('token');
  const rest = fragment.toString();
  history.replaceState(null, '', location.pathname + location.search + (rest ? `#${rest}` : ''));
}

export function currentToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function setToken(token: string): void {
  sessionStorage.setItem(KEY, token.trim().replace(/^Bearer\s+/i, ''));
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
