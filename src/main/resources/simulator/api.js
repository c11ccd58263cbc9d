// The simulator API: same-origin JSON under /simulator/api. Errors come back as {"error": "..."}
// and are thrown as ApiError with that text (shown to the user as text, never as markup).

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** Sends one request; resolves with the JSON answer (null for 204) or rejects with an ApiError. */
export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json'; // the simulator takes JSON only, which a form on another site cannot send
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'Cannot reach Sathi. Is ./sathi demo still running?');
  }
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.ok && data !== null) return data;
  const message = typeof data?.error === 'string' ? data.error : `Sathi answered ${response.status}; try again.`;
  throw new ApiError(response.status, message);
}

const BASE = '/simulator/api';

export const callPath = (id, action = '') =>
  `${BASE}/calls/${encodeURIComponent(id)}${action ? `/${action}` : ''}`;

export const get = (path) => api('GET', `${BASE}${path}`);
export const post = (path, body) => api('POST', `${BASE}${path}`, body);
export const getCall = (id) => api('GET', callPath(id));
export const postCall = (id, action, body) => api('POST', callPath(id, action), body);
