/*
 * api.js: Candor's REST API (same origin, relative to the page so any context root works).
 * Every failure becomes an ApiError carrying the server's error_code (or HTTP_<status> / NETWORK_ERROR).
 * Signed in (useAuth), every call carries `Authorization: Bearer <access token>`; a 401 renews the token silently
 * and tries once more, and a second 401 tells the sign-in that it has ended.
 */

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** {token(): Promise<string|null>, renew(): Promise<boolean>, ended(message)}; null: no sign-in. */
let auth = null;

export function useAuth(provider) {
  auth = provider;
}

async function request(method, path, body, renewed = false) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const token = auth ? await auth.token() : null;
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(new URL(path, document.baseURI), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ApiError(0, 'NETWORK_ERROR', 'The server could not be reached. Check your connection and try again.');
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (response.status === 401 && auth) {
    if (!renewed && await auth.renew()) return request(method, path, body, true);
    auth.ended(data?.message);
  }
  if (!response.ok) {
    throw new ApiError(response.status, data?.error_code ?? `HTTP_${response.status}`,
      data?.message ?? `The server answered ${response.status} ${response.statusText}`.trim());
  }
  return data;
}

const threadPath = (id) => `api/threads/${encodeURIComponent(id)}`;

export const threadsApi = {
  /** {items:[{id,title,created_at,updated_at}], page, size, total}, most recently updated first. */
  list: (page = 0, size = 20) => request('GET', `api/threads?page=${page}&size=${size}`),
  /** {thread, messages:[{id, role, content, status, created_at, run_id?}]} */
  messages: (id) => request('GET', `${threadPath(id)}/messages`),
  rename: (id, title) => request('PATCH', threadPath(id), { title }),
  remove: (id) => request('DELETE', threadPath(id)),
};

/** GET api/client-config (public): {auth_mode: 'oidc'|'none', issuer?, client_id?, scope?}. */
export const clientConfigApi = {
  get: () => request('GET', 'api/client-config'),
};

/** POST api/ws-ticket: {ticket, expires_in}, a single-use ticket for the next WebSocket handshake. */
export const ticketApi = {
  issue: () => request('POST', 'api/ws-ticket'),
};
