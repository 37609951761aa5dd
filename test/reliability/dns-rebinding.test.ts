import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApiServer } from '../../main/api/server';
import { registerDeskRoutes, serverOrigins } from '../../main/rpc/http';
import { testEngine } from '../helpers';
import { browserDeskRpc } from '../support/desk-rpc';

const dirs: string[] = [];
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const PORT = 4321;

async function deskServer() {
  const { engine } = testEngine();
  const rendererDir = mkdtempSync(join(tmpdir(), 'guichet-renderer-'));
  dirs.push(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<html><head></head><body>desk</body></html>');
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  const rpc = browserDeskRpc(engine);
  app = await buildApiServer({
    engine,
    extend: (server) =>
      registerDeskRoutes(server, {
        rpc,
        sessionToken: 'start-token',
        rendererDir,
        origins: () => serverOrigins('127.0.0.1', PORT),
      }),
  });
  return { app, engine };
}

const tokenCount = (engine: ReturnType<typeof testEngine>['engine']) =>
  (engine.db.prepare('SELECT COUNT(*) AS n FROM api_tokens').get() as { n: number }).n;

describe('DNS rebinding', () => {
  it('DNS rebinding: a page rebound to 127.0.0.1 gets neither the desk page nor its session token', async () => {
    const { app } = await deskServer();
    const page = await app.inject({ method: 'GET', url: '/', headers: { host: `evil.example:${PORT}` } });
    expect(page.statusCode).toBe(421);
    expect(page.body).not.toContain('start-token');
    const asset = await app.inject({
      method: 'GET',
      url: '/assets/app.js',
      headers: { host: `evil.example:${PORT}` },
    });
    expect(asset.statusCode).toBe(421);
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`]) {
      const own = await app.inject({ method: 'GET', url: '/', headers: { host } });
      expect(own.statusCode).toBe(200);
      expect(own.body).toContain('start-token');
    }
  });

  it('DNS rebinding: /rpc refuses a foreign Host even when Origin matches that Host, and mints no token', async () => {
    const { app, engine } = await deskServer();
    const mint = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/rpc/tokens.create',
        headers: { 'content-type': 'application/json', 'x-guichet-session': 'start-token', ...headers },
        payload: JSON.stringify({ name: 'stolen', scope: 'all' }),
      });
    // What the rebinding page sends: its own name as Host and as Origin.
    const rebound = await mint({ host: `evil.example:${PORT}`, origin: `http://evil.example:${PORT}` });
    expect(rebound.statusCode).toBe(403);
    // Own Host but a foreign Origin.
    const foreign = await mint({ host: `127.0.0.1:${PORT}`, origin: `http://evil.example:${PORT}` });
    expect(foreign.statusCode).toBe(403);
    // Own host, own origin of another loopback name, or another port: the last is someone else.
    const otherPort = await mint({ host: `127.0.0.1:${PORT}`, origin: `http://127.0.0.1:${PORT + 1}` });
    expect(otherPort.statusCode).toBe(403);
    expect(tokenCount(engine)).toBe(0);
    const own = await mint({ host: `127.0.0.1:${PORT}`, origin: `http://127.0.0.1:${PORT}` });
    expect(own.statusCode).toBe(200);
    expect(tokenCount(engine)).toBe(1);
  });

  it('DNS rebinding: the origins of the server are its loopback names and the address it listens on', () => {
    expect(serverOrigins('127.0.0.1', 8787)).toEqual([
      'http://127.0.0.1:8787',
      'http://localhost:8787',
      'http://[::1]:8787',
    ]);
    expect(serverOrigins('192.168.1.20', 80)).toEqual(
      expect.arrayContaining(['http://192.168.1.20:80', 'http://192.168.1.20', 'http://localhost:80']),
    );
    expect(serverOrigins('0.0.0.0', 8787, ['10.0.0.5'])).toContain('http://10.0.0.5:8787');
    expect(serverOrigins('0.0.0.0', 8787, ['10.0.0.5'])).not.toContain('http://0.0.0.0:8787');
  });
});
