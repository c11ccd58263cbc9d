// The console API: same-origin JSON. Every state change carries the XSRF token from its cookie;
// the page's own refreshes say so with X-Sathi-Background, so they do not keep an idle session alive.
import { noteServerDate } from './time.js';

class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

let unauthorized = () => {};

/** Called on every 401: the session has ended (or there never was one). */
export function onUnauthorized(handler) {
  unauthorized = handler;
}

function cookie(name) {
  for (const part of document.cookie.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return decodeURIComponent(value.join('='));
  }
  return null;
}

/** Sends one request; resolves with the JSON answer (null for 204) or rejects with an ApiError. */
export async function api(method, path, { body, background = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (background) headers['X-Sathi-Background'] = '1';
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    const token = cookie('XSRF-TOKEN');
    if (token !== null) headers['X-XSRF-TOKEN'] = token;
    init.body = JSON.stringify(body ?? {});
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new ApiError(0, 'Cannot reach the server. Check the connection and try again.');
  }
  noteServerDate(response.headers.get('Date'));
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (response.ok && data !== null) return data;
  if (response.status === 401) unauthorized();
  const message = typeof data?.error === 'string' ? data.error : `The server answered ${response.status}; try again.`;
  throw new ApiError(response.status, message);
}

export const reportPath = (reference, action = '') =>
  `/api/reports/${encodeURIComponent(reference)}${action ? `/${action}` : ''}`;
