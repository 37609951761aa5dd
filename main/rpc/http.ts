import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_HEADER } from '../../shared/contract';
import type { Dispatcher } from './registry';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

function sameToken(presented: unknown, expected: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A browser call is the desk's own when it carries this start's session token and, if the browser names
 * an origin, that origin is the server itself. Pages from other origins can neither read the token (it
 * is only in the desk's own page) nor send the custom header without a CORS preflight nobody answers.
 */
export function isDeskRequest(req: FastifyRequest, sessionToken: string): boolean {
  if (!sameToken(req.headers[SESSION_HEADER], sessionToken)) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && origin !== `http://${req.headers.host ?? ''}`) return false;
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return false;
  return true;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** The built page with this start's session token in a meta tag, where only same-origin script reads it. */
export function indexWithToken(html: string, sessionToken: string): string {
  return html.replace('<head>', `<head>\n    <meta name="guichet-session" content="${sessionToken}" />`);
}

export interface DeskHttpOptions {
  rpc: Dispatcher;
  sessionToken: string;
  /** The built renderer (`dist/renderer`); the desk UI is served from `/` when it exists. */
  rendererDir: string | null;
}

/** `POST /rpc/<method>` for the browser mode, and the built renderer at `/`. */
export function registerDeskRoutes(app: FastifyInstance, options: DeskHttpOptions): void {
  const { rpc, sessionToken, rendererDir } = options;

  app.post('/rpc/:method', async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!isDeskRequest(req, sessionToken)) {
      return reply.status(403).send({
        error: {
          code: 'forbidden',
          message: 'Not the desk of this start.',
          status: 403,
          body: { detail: 'Forbidden.' },
        },
      });
    }
    const { method } = req.params as { method: string };
    const reply_ = await rpc.call(method, req.body);
    return reply.status('error' in reply_ ? reply_.error.status : 200).send(reply_);
  });

  if (!rendererDir) return;
  const sendIndex = (reply: FastifyReply) => {
    const html = readFileSync(join(rendererDir, 'index.html'), 'utf8');
    return reply
      .header('Cache-Control', 'no-store')
      .header(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; frame-src 'self' blob:",
      )
      .header('X-Frame-Options', 'DENY')
      .type('text/html; charset=utf-8')
      .send(indexWithToken(html, sessionToken));
  };
  app.get('/', async (_req, reply) => sendIndex(reply));
  app.get('/assets/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const root = join(rendererDir, 'assets');
    const file = normalize(join(root, rel));
    if (!file.startsWith(root + sep) || !existsSync(file) || !statSync(file).isFile()) {
      return reply.status(404).send({ detail: 'Not found.' });
    }
    return reply
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
      .send(readFileSync(file));
  });
}
