import { describe, expect, it } from 'vitest';
import { createApiToken } from '../../../main/engine/auth/tokens';
import { testEngine } from '../../helpers';
import { placeOrder, ticketEvent } from '../../engine/tickets/fixtures';
import { decodeQrOnPage, pdfText } from '../../engine/tickets/pdf-tools';
import { apiServers } from '../../support/api';

const servers = apiServers();

async function setup(options: { plugins?: string[]; settings?: Record<string, unknown> } = {}) {
  const t = testEngine();
  const token = t.engine.command((ctx) =>
    createApiToken(ctx, { organizerId: t.organizerId, name: 'all' }),
  ).token;
  const { eventId, ticket, merch } = ticketEvent(t.engine, t.organizerId, options.settings);
  t.engine.db
    .prepare('UPDATE events SET plugins = ? WHERE id = ?')
    .run(
      JSON.stringify(options.plugins ?? ['pretix.plugins.banktransfer', 'pretix.plugins.ticketoutputpdf']),
      eventId,
    );
  const { org, slug } = t.engine.db
    .prepare(
      'SELECT o.slug AS org, e.slug FROM events e JOIN organizers o ON o.id = e.organizer_id WHERE e.id = ?',
    )
    .get(eventId) as { org: string; slug: string };
  const app = await servers.start({ engine: t.engine });
  const base = `/api/v1/organizers/${org}/events/${slug}`;
  const getPath = (path: string) =>
    app.inject({ method: 'GET', url: path, headers: { authorization: `Token ${token}` } });
  const get = (url: string) => getPath(`${base}${url}`);
  return { ...t, eventId, ticket, merch, slug, get, getPath };
}

describe('ticket downloads API', () => {
  it("serves a paid order's tickets and a position's ticket as application/pdf", async () => {
    const { engine, eventId, ticket, slug, get } = await setup();
    const order = placeOrder(engine, eventId, [
      { item: ticket, price: '23.00', name: 'Zoë Ødegård' },
      { item: ticket, price: '23.00', name: 'Łukasz Nowak' },
    ]);
    const res = await get(`/orders/${order.code}/download/pdf/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/pdf/);
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${slug}-${order.code}-pdf.pdf"`);
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Summer Fest');
    expect(text).toContain('Zoë Ødegård');
    expect(text).toContain('Łukasz Nowak');
    expect(text).toContain(order.code);
    expect(text).toContain('23.00');

    const second = order.positions[1]!;
    const one = await get(`/orderpositions/${second.id}/download/pdf/`);
    expect(one.statusCode).toBe(200);
    expect(one.headers['content-type']).toMatch(/^application\/pdf/);
    expect(one.headers['content-disposition']).toBe(`attachment; filename="${slug}-${order.code}-2-pdf.pdf"`);
    expect(await pdfText(one.rawPayload)).not.toContain('Zoë');
    expect(await decodeQrOnPage(one.rawPayload)).toBe(second.secret);
  });

  it('refuses canceled, expired and pending orders with 403 and pretix messages', async () => {
    const { engine, eventId, ticket, get } = await setup();
    const paid = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    engine.db.prepare("UPDATE orders SET status = 'c' WHERE id = ?").run(paid.id);
    let res = await get(`/orders/${paid.code}/download/pdf/`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Downloads are not available for canceled or expired orders.' });
    res = await get(`/orderpositions/${paid.positions[0]!.id}/download/pdf/`);
    expect(res.statusCode).toBe(403);

    const pending = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }], 'n');
    res = await get(`/orders/${pending.code}/download/pdf/`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Downloads are not available for pending orders.' });
    engine.db.prepare('UPDATE orders SET valid_if_pending = 1 WHERE id = ?').run(pending.id);
    expect((await get(`/orders/${pending.code}/download/pdf/`)).statusCode).toBe(200);
  });

  it('refuses a position whose product issues no ticket', async () => {
    const { engine, eventId, merch, get } = await setup({ settings: { ticket_download_nonadm: false } });
    const order = placeOrder(engine, eventId, [{ item: merch, price: '9.00' }]);
    const res = await get(`/orderpositions/${order.positions[0]!.id}/download/pdf/`);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toEqual({ detail: 'Downloads are not enabled for this product.' });
  });

  it('answers 404 for an unknown output, order or position, and where the PDF plugin is off', async () => {
    const { engine, eventId, ticket, get } = await setup();
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    const pos = order.positions[0]!.id;
    let res = await get(`/orders/${order.code}/download/nonexistent/`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Unknown output provider.' });
    expect((await get(`/orders/ZZZZZ9/download/pdf/`)).statusCode).toBe(404);
    expect((await get(`/orderpositions/${pos}/download/nonexistent/`)).statusCode).toBe(404);
    expect((await get(`/orderpositions/999999999/download/pdf/`)).statusCode).toBe(404);
    expect((await get(`/orderpositions/abc/download/pdf/`)).statusCode).toBe(404);

    engine.db
      .prepare(`UPDATE events SET plugins = '["pretix.plugins.banktransfer"]' WHERE id = ?`)
      .run(eventId);
    res = await get(`/orders/${order.code}/download/pdf/`);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ detail: 'Unknown output provider.' });
    expect((await get(`/orderpositions/${pos}/download/pdf/`)).statusCode).toBe(404);
  });

  it('names the pdf output in downloads only where the plugin is active and the output enabled', async () => {
    const { engine, eventId, ticket, get, getPath } = await setup({
      settings: { ticketoutput_pdf__enabled: true },
    });
    const order = placeOrder(engine, eventId, [{ item: ticket, price: '23.00' }]);
    const detail = (await get(`/orders/${order.code}/`)).json() as {
      downloads: { output: string; url: string }[];
      positions: { downloads: { output: string; url: string }[] }[];
    };
    expect(detail.downloads).toEqual([
      { output: 'pdf', url: expect.stringMatching(new RegExp(`/orders/${order.code}/download/pdf/$`)) },
    ]);
    expect(detail.positions[0]!.downloads[0]!.url).toMatch(
      new RegExp(`/orderpositions/${order.positions[0]!.id}/download/pdf/$`),
    );
    const link = new URL(detail.downloads[0]!.url).pathname;
    expect((await getPath(link)).statusCode).toBe(200);

    engine.db.prepare(`UPDATE events SET plugins = '[]' WHERE id = ?`).run(eventId);
    const without = (await get(`/orders/${order.code}/`)).json() as { downloads: unknown[] };
    expect(without.downloads).toEqual([]);
  });
});
