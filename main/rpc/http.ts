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

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/**
 * The origins the server itself answers as: the loopback names and, when it listens on a LAN address,
 * that address (every LAN address of the machine when it listens on all of them), at its port.
 */
export function serverOrigins(bindHost: string, port: number, lanAddresses: string[] = []): string[] {
  const names = new Set(LOOPBACK_NAMES);
  const bare = bindHost.replace(/^\[|\]$/g, '').toLowerCase();
  if (WILDCARDS.has(bare)) for (const address of lanAddresses) names.add(address);
  else names.add(bare.includes(':') ? `[${bare}]` : bare);
  const origins: string[] = [];
  for (const name of names) {
    origins.push(`http://${name}:${port}`);
    if (port === 80) origins.push(`http://${name}`);
  }
  return origins;
}

/**
 * Whether the request names this server in its Host header. A page on another domain that rebinds its
 * name to 127.0.0.1 (DNS rebinding) reaches the same socket but still sends its own name, so the desk's
 * page and RPC answer only to the server's own names.
 */
export function isOwnHost(req: FastifyRequest, origins: readonly string[]): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && origins.includes(`http://${host.toLowerCase()}`);
}

/**
 * A browser call is the desk's own when it reaches the server under one of its own names, carries this
 * start's session token and, if the browser names an origin, that origin is one of the server's own
 * (never compared with the request's Host, which a rebinding page chooses). Pages from other origins can
 * neither read the token (it is only in the desk's own page) nor send the custom header without a CORS
 * preflight nobody answers.
 */
export function isDeskRequest(
  req: FastifyRequest,
  sessionToken: string,
  origins: readonly string[],
): boolean {
  if (!isOwnHost(req, origins)) return false;
  if (!sameToken(req.headers[SESSION_HEADER], sessionToken)) return false;
  const origin = req.headers.origin;
  if (origin !== undefined && !origins.includes(origin.toLowerCase())) return false;
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
  /** The server's own origins (`serverOrigins`), known once it listens. */
  origins: () => readonly string[];
}

const UNKNOWN_HOST = { detail: 'This server does not answer to that host name.' };

/** `POST /rpc/<method>` for the browser mode, and the built renderer at `/`. */
export function registerDeskRoutes(app: FastifyInstance, options: DeskHttpOptions): void {
  const { rpc, sessionToken, rendererDir, origins } = options;

  app.post<{ Params: { method: string } }>('/rpc/:method', async (req, reply) => {
    reply.header('Cache-Control', 'no-store');
    if (!isDeskRequest(req, sessionToken, origins())) {
      return reply.status(403).send({
        error: {
          code: 'forbidden',
          message: 'Not the desk of this start.',
          status: 403,
          body: { detail: 'Forbidden.' },
        },
      });
    }
    const { method } = req.params;
    const reply_ = await rpc.call(method, req.body);
    return reply.status('error' in reply_ ? reply_.error.status : 200).send(reply_);
  });

  if (!rendererDir) return;
  const sendIndex = (req: FastifyRequest, reply: FastifyReply) => {
    if (!isOwnHost(req, origins())) return reply.status(421).send(UNKNOWN_HOST);
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
  app.get('/', async (req, reply) => sendIndex(req, reply));
  app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) => {
    if (!isOwnHost(req, origins())) return reply.status(421).send(UNKNOWN_HOST);
    const rel = req.params['*'];
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
