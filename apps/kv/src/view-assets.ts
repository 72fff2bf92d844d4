/**
 * The cluster view's static files (`apps/kv/view/`: the page, its script and its style),
 * served at `/`, `/view/app.js` and `/view/style.css`. They are plain files shipped with the
 * app: no build step, no CDN. The script is JavaScript checked by tsc (`// @ts-check`,
 * `tsconfig.view.json`) and linted by biome like the rest.
 *
 * The files are read once, when the route is made. Each answer carries a Content Security
 * Policy that allows scripts and styles from the node only, and connections to the members
 * (the page streams from every member).
 */
import { readFileSync } from 'node:fs';
import type { NodeId } from 'raft-io';
import type { ApiRoute } from './http-api.js';
import { HttpError } from './http-errors.js';

const VIEW_DIR = new URL('../view/', import.meta.url);

const FILES: Record<string, { readonly file: string; readonly type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/view/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/view/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

function origins(urls: ReadonlyMap<NodeId, string>): string {
  const out = new Set<string>();
  for (const url of urls.values()) {
    try {
      out.add(new URL(url).origin);
    } catch {
      /* not a URL: not allowed */
    }
  }
  return [...out].join(' ');
}

/** The route serving the view's files; `memberUrls` feed the page's `connect-src`. */
export function viewRoute(memberUrls: ReadonlyMap<NodeId, string>): ApiRoute {
  const bodies = new Map<string, Buffer>();
  for (const [path, { file }] of Object.entries(FILES))
    bodies.set(path, readFileSync(new URL(file, VIEW_DIR)));
  return {
    name: 'view',
    matches: (path) => bodies.has(path),
    handle(r) {
      r.allow(['GET']);
      r.req.resume();
      const body = bodies.get(r.path);
      const spec = FILES[r.path];
      if (body === undefined || spec === undefined) throw new HttpError(404, 'NOT_FOUND', 'no such file');
      r.res.writeHead(200, {
        'content-type': spec.type,
        'content-length': body.length,
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'content-security-policy':
          `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; ` +
          `connect-src 'self' ${origins(memberUrls)}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      });
      r.res.end(body);
    },
  };
}
