/**
 * CORS for the cluster view: a page served by one member talks to every member (one event
 * stream each, and the controls go to whichever node is alive), so each member allows the
 * origins of the members it knows (`http://host:port` of their HTTP URLs), and no other. A
 * page of any other site gets no CORS headers: the browser then keeps the answers from it,
 * and refuses to send it anything that needs a preflight (JSON bodies, `PUT`, `DELETE`, an
 * `Authorization` header).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NodeId } from 'raft-io';

const ALLOWED_METHODS = 'GET, PUT, POST, DELETE';
const ALLOWED_HEADERS = 'authorization, content-type';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

function originOf(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

/** Whether `origin` is the origin of one of `memberUrls`. */
export function isMemberOrigin(origin: string, memberUrls: ReadonlyMap<NodeId, string>): boolean {
  for (const url of memberUrls.values()) if (originOf(url) === origin) return true;
  return false;
}

/**
 * Add the CORS headers a member origin needs to `res`; answer a preflight (`OPTIONS`) in
 * full. Returns true when the request was a preflight and is answered.
 */
export function applyMemberCors(
  req: IncomingMessage,
  res: ServerResponse,
  memberUrls: ReadonlyMap<NodeId, string>,
): boolean {
  const origin = req.headers.origin;
  const allowed = typeof origin === 'string' && isMemberOrigin(origin, memberUrls);
  res.setHeader('vary', 'origin');
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', 'x-kv-node, x-kv-index');
  }
  if (req.method !== 'OPTIONS') return false;
  req.resume();
  if (allowed) {
    res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
    res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
    res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_S));
  }
  res.writeHead(204, { 'content-length': 0 });
  res.end();
  return true;
}
