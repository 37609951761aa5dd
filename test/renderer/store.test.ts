// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import type { RpcInput, RpcMethod, RpcOutput, TillSession } from '../../shared/contract';
import { changeDue, createDeskStore } from '../../renderer/src/store';
import {
  detectTransport,
  httpTransport,
  ipcTransport,
  RpcError,
  type Transport,
} from '../../renderer/src/transport';
import { formatCountdown, translate } from '../../renderer/src/i18n';
import { formatMoney } from '../../renderer/src/money';

type Handler = (input: unknown) => unknown;

/** A transport that answers from a table and records every call, as the server would see them. */
function recordingTransport(handlers: Partial<Record<RpcMethod, Handler>>) {
  const calls: { method: RpcMethod; input: unknown }[] = [];
  const transport: Transport = {
    async call<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutput<M>> {
      calls.push({ method, input });
      const handler = handlers[method];
      if (!handler)
        throw new RpcError({ code: 'unknown_method', message: `no ${method}`, status: 404, body: null });
      return (await handler(input)) as RpcOutput<M>;
    },
  };
  return { transport, calls };
}

const info = (methods: RpcMethod[]) => ({
  version: '0',
  mode: 'browser' as const,
  databasePath: '/x',
  api: { running: false, url: null },
  methods,
  settings: {
    locale: 'de' as const,
    api: { enabled: true, host: '127.0.0.1', port: 8787 },
    printer: { name: '', paper: 'a4' as const },
    backupFolder: null,
    quickSell: null,
    printReceipts: false,
  },
});

const event = {
  id: 7,
  slug: 'e',
  name: 'Gala',
  currency: 'EUR',
  dateFrom: null,
  hasSubevents: false,
  live: true,
  subevents: [],
};
const tile = {
  itemId: 3,
  variationId: null,
  name: 'Adult',
  price: '20.00',
  admission: true,
  requireApproval: false,
  free: 5,
  availability: 'ok' as const,
  questions: [],
};

/** A cart of Adult tickets at 20.00, one line per id. */
function adultCart(lineIds: number[], total: string) {
  const expires = '2030-01-01T00:00:00Z';
  const lines = lineIds.map((id) => ({
    id,
    itemId: 3,
    variationId: null,
    name: 'Adult',
    price: '20.00',
    expires,
  }));
  return { cartId: 'x', lines, total, expires };
}

/** The desk methods a sale needs, answering with the test's event, tile and `cart`. */
function sellingMethods(cart: ReturnType<typeof adultCart>) {
  return {
    'app.info': () => info(['app.info', 'events.list', 'sales.tiles', 'cart.add', 'sale.complete']),
    'events.list': () => [event],
    'sales.tiles': () => [tile],
    'cart.add': () => cart,
  };
}

describe('transport', () => {
  it('posts to /rpc/<method> with the session token and unwraps results and failures', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const fakeFetch = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      const body = JSON.parse(String(init.body)) as { query?: string };
      const payload =
        body.query === 'bad'
          ? {
              error: {
                code: 'invalid_input',
                message: 'query: too long',
                status: 400,
                body: { query: ['too long'] },
              },
            }
          : { result: [] };
      return new Response(JSON.stringify(payload), { status: body.query === 'bad' ? 400 : 200 });
    }) as typeof fetch;
    const transport = httpTransport('tok', fakeFetch);
    expect(await transport.call('orders.search', { query: 'x', limit: 5 })).toEqual([]);
    expect(seen[0]!.url).toBe('/rpc/orders.search');
    expect((seen[0]!.init.headers as Record<string, string>)['x-guichet-session']).toBe('tok');
    const failure = await transport
      .call('orders.search', { query: 'bad', limit: 5 })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RpcError);
    expect(failure).toMatchObject({ code: 'invalid_input', status: 400, message: 'query: too long' });
  });

  it('reads the token again after a restart and sends the refused call once more; a wrong PIN is no restart', async () => {
    const posted: string[] = [];
    let pages = 0;
    const fakeFetch = (async (url: string, init?: RequestInit) => {
      if (url === '/') {
        pages++;
        return new Response('<head><meta name="guichet-session" content="new"></head>');
      }
      const token = (init!.headers as Record<string, string>)['x-guichet-session']!;
      posted.push(`${url} ${token}`);
      if (token !== 'new')
        return new Response(
          JSON.stringify({
            error: { code: 'forbidden', message: 'Not the desk of this start.', status: 403 },
          }),
          { status: 403 },
        );
      if (url === '/rpc/till.signIn')
        return new Response(
          JSON.stringify({ error: { code: 'wrong_pin', message: 'That PIN is not right.', status: 403 } }),
          { status: 403 },
        );
      return new Response(JSON.stringify({ result: [] }));
    }) as typeof fetch;
    const transport = httpTransport('old', fakeFetch);
    expect(await transport.call('orders.search', { query: 'x', limit: 5 })).toEqual([]);
    expect(posted).toEqual(['/rpc/orders.search old', '/rpc/orders.search new']);
    await expect(transport.call('till.signIn', { cashierId: 1, pin: '0000' })).rejects.toMatchObject({
      code: 'wrong_pin',
    });
    expect(pages).toBe(1);
  });

  it('says the server is offline when fetch itself fails', async () => {
    const transport = httpTransport('tok', (async () => {
      throw new TypeError('network');
    }) as typeof fetch);
    await expect(transport.call('app.info', {})).rejects.toMatchObject({ code: 'offline' });
  });

  it('uses the preload bridge in Electron and the page token in a browser', async () => {
    const bridge = { invoke: async (method: string) => ({ result: method }) };
    expect(await ipcTransport(bridge).call('app.info', {})).toBe('app.info');
    document.head.innerHTML = '<meta name="guichet-session" content="from-page">';
    const w = window as unknown as Window & { guichet?: typeof bridge };
    w.guichet = bridge;
    expect(await detectTransport(w).call('app.info', {})).toBe('app.info');
    delete w.guichet;
  });
});

describe('desk store', () => {
  it('starts with the saved language, the first event and its tiles', async () => {
    const { transport, calls } = recordingTransport({
      'app.info': () => info(['app.info', 'events.list', 'sales.tiles']),
      'events.list': () => [event],
      'sales.tiles': () => [tile],
    });
    const store = createDeskStore(transport);
    await store.getState().start();
    const s = store.getState();
    expect(s.locale).toBe('de');
    expect(s.eventId).toBe(7);
    expect(s.tiles).toEqual([tile]);
    expect(calls.map((c) => c.method)).toEqual(['app.info', 'events.list', 'sales.tiles']);
    expect(s.can('approvals.list')).toBe(false);
  });

  it('sends the cart with attendee names and cash given, then starts a fresh cart', async () => {
    const cart = adultCart([11, 12], '40.00');
    const { transport, calls } = recordingTransport({
      ...sellingMethods(cart),
      'sale.complete': () => ({
        orderCode: 'ABCDE',
        status: 'p',
        total: '40.00',
        change: '10.00',
        ticketPdf: null,
      }),
    });
    const store = createDeskStore(transport);
    await store.getState().start();
    await store.getState().addToCart(tile, 2);
    const firstCartId = store.getState().cartId;
    store.getState().setLine(11, { attendeeName: ' Ada Lovelace ' });
    store.getState().setLine(12, { attendeeName: 'Alan Turing', answers: { 5: 'veg', 6: '  ' } });
    store.getState().setGiven('50');
    const result = await store.getState().completeSale();
    expect(result?.orderCode).toBe('ABCDE');
    const sale = calls.find((c) => c.method === 'sale.complete')!.input;
    expect(sale).toEqual({
      saleId: firstCartId,
      cartId: firstCartId,
      eventId: 7,
      subeventId: null,
      email: null,
      payment: { method: 'cash', given: '50' },
      priceReason: null,
      positions: [
        { itemId: 3, variationId: null, attendeeName: 'Ada Lovelace', answers: [], price: null },
        {
          itemId: 3,
          variationId: null,
          attendeeName: 'Alan Turing',
          answers: [{ questionId: 5, answer: 'veg' }],
          price: null,
        },
      ],
    });
    const after = store.getState();
    expect(after.cart).toBeNull();
    expect(after.lastSale?.change).toBe('10.00');
    expect(after.cartId).not.toBe(firstCartId);
  });

  it('completes a sale once however often it is asked while the first answer is on its way', async () => {
    const cart = adultCart([11], '20.00');
    const { transport, calls } = recordingTransport({
      ...sellingMethods(cart),
      'sale.complete': async () => {
        await new Promise((r) => setTimeout(r, 20));
        return {
          orderCode: 'ABCDE',
          status: 'p',
          total: '20.00',
          change: '0.00',
          lines: [],
          ticketPdf: null,
        };
      },
    });
    const store = createDeskStore(transport);
    await store.getState().start();
    await store.getState().addToCart(tile);
    await Promise.all([store.getState().completeSale(), store.getState().completeSale()]);
    expect(calls.filter((c) => c.method === 'sale.complete')).toHaveLength(1);
  });

  it('gives back the open cart and starts a new sale when the cashier moves to another event', async () => {
    const line = {
      id: 31,
      itemId: 3,
      variationId: null,
      name: 'Adult',
      price: '20.00',
      expires: '2030-01-01T00:00:00Z',
    };
    const { transport, calls } = recordingTransport({
      'app.info': () => info(['app.info', 'events.list', 'sales.tiles', 'cart.add', 'cart.clear']),
      'events.list': () => [event, { ...event, id: 8, name: 'Summer' }],
      'sales.tiles': () => [tile],
      'cart.add': (input) => ({
        cartId: (input as { cartId: string }).cartId,
        lines: [line],
        total: '20.00',
        expires: line.expires,
      }),
      'cart.clear': (input) => ({
        cartId: (input as { cartId: string }).cartId,
        lines: [],
        total: '0.00',
        expires: null,
      }),
    });
    const store = createDeskStore(transport);
    await store.getState().start();
    await store.getState().addToCart(tile);
    const first = store.getState().cartId;
    await store.getState().selectEvent(8, null);
    expect(calls.filter((c) => c.method === 'cart.clear').map((c) => c.input)).toEqual([{ cartId: first }]);
    expect(store.getState().cart).toBeNull();
    expect(store.getState().cartId).not.toBe(first);
    expect(store.getState().eventId).toBe(8);
  });

  it('comes back after a reload to the open sale: same cart id, event and date, typed details', async () => {
    const events = [
      event,
      {
        ...event,
        id: 8,
        name: 'Summer',
        hasSubevents: true,
        subevents: [
          { id: 81, name: 'Sat', dateFrom: '2030-06-01T18:00:00Z', active: true },
          { id: 82, name: 'Sun', dateFrom: '2030-06-02T18:00:00Z', active: true },
        ],
      },
    ];
    const line = {
      id: 21,
      itemId: 3,
      variationId: null,
      name: 'Adult',
      price: '20.00',
      expires: '2030-01-01T00:00:00Z',
    };
    const carts = new Map<string, (typeof line)[]>();
    const { transport, calls } = recordingTransport({
      'app.info': () => info(['app.info', 'events.list', 'sales.tiles', 'cart.add', 'cart.get']),
      'events.list': () => events,
      'sales.tiles': () => [tile],
      'cart.add': (input) => {
        const id = (input as { cartId: string }).cartId;
        carts.set(id, [line]);
        return { cartId: id, lines: [line], total: '20.00', expires: line.expires };
      },
      'cart.get': (input) => {
        const id = (input as { cartId: string }).cartId;
        const lines = carts.get(id) ?? [];
        return { cartId: id, lines, total: lines.length ? '20.00' : '0.00', expires: null };
      },
    });
    window.localStorage.clear();
    const before = createDeskStore(transport, window.localStorage);
    await before.getState().start();
    await before.getState().selectEvent(8, 82);
    await before.getState().addToCart(tile);
    before.getState().setLine(21, { attendeeName: 'Ada' });
    const cartId = before.getState().cartId;

    const after = createDeskStore(transport, window.localStorage);
    await after.getState().start();
    const state = after.getState();
    expect([state.cartId, state.eventId, state.subeventId]).toEqual([cartId, 8, 82]);
    expect(state.cart?.lines).toEqual([line]);
    expect(state.lineDetails[21]?.attendeeName).toBe('Ada');
    expect(calls.filter((c) => c.method === 'cart.add')).toHaveLength(1);
    await after.getState().nextSale();
    expect(window.localStorage.getItem('guichet.openSale')).toBeNull();
  });

  it('shows a refusal as an error notice and keeps the cart', async () => {
    const { transport } = recordingTransport({
      'app.info': () => info(['app.info', 'events.list', 'sales.tiles', 'cart.add']),
      'events.list': () => [event],
      'sales.tiles': () => [tile],
      'cart.add': () => {
        throw new RpcError({
          code: 'quota',
          message: 'There are no more tickets available.',
          status: 400,
          body: {},
        });
      },
    });
    const store = createDeskStore(transport);
    await store.getState().start();
    await store.getState().addToCart(tile);
    expect(store.getState().notice).toEqual({ kind: 'error', text: 'There are no more tickets available.' });
    expect(store.getState().busy).toBe(false);
  });

  it('shows no tiles of the event the cashier left, even when its answer comes last', async () => {
    const pending: { eventId: number; resolve: (tiles: unknown) => void }[] = [];
    const { transport } = recordingTransport({
      'app.info': () => info(['app.info', 'events.list', 'sales.tiles', 'cart.add']),
      'events.list': () => [event, { ...event, id: 8, name: 'Summer' }],
      'sales.tiles': (input) =>
        new Promise((resolve) => pending.push({ eventId: (input as { eventId: number }).eventId, resolve })),
    });
    const store = createDeskStore(transport);
    const started = store.getState().start();
    await vi.waitFor(() => expect(pending).toHaveLength(1));
    pending[0]!.resolve([tile]);
    await started;
    expect(store.getState().tiles).toEqual([tile]);

    // Gala (7) -> Summer (8) -> Gala again, while a second answer for Summer comes back last.
    const toSummer = store.getState().selectEvent(8, null);
    expect(store.getState().tiles).toEqual([]);
    const summerTile = { ...tile, itemId: 9, name: 'Summer pass' };
    const refreshGala = store.getState().refreshTiles();
    pending[1]!.resolve([summerTile]);
    await toSummer;
    expect(store.getState().tiles).toEqual([summerTile]);
    expect(pending.map((p) => p.eventId)).toEqual([7, 8, 8]);
    const toGala = store.getState().selectEvent(7, null);
    expect(store.getState().tiles).toEqual([]);
    pending[3]!.resolve([tile]);
    await toGala;
    pending[2]!.resolve([summerTile]);
    await refreshGala;
    expect(store.getState().eventId).toBe(7);
    expect(store.getState().tiles).toEqual([tile]);
  });

  it('keeps the drawer figures of the newest till update when an earlier read answers late', async () => {
    const reads: ((session: unknown) => void)[] = [];
    const { transport } = recordingTransport({
      'app.info': () => info(['app.info', 'till.session']),
      'till.session': () => new Promise((resolve) => reads.push(resolve)),
    });
    const store = createDeskStore(transport);
    await store.getState().refreshInfo();
    const session = (expected: string) => ({ drawer: { expected } }) as unknown as TillSession;
    const read = store.getState().loadTill();
    await vi.waitFor(() => expect(reads).toHaveLength(1));
    // A cash-out answers with the drawer after it, while the read started before it is still on its way.
    store.getState().setTill(session('105.00'));
    reads[0]!(session('125.00'));
    await read;
    expect(store.getState().till).toEqual(session('105.00'));
    // A read started after the update is shown.
    const next = store.getState().loadTill();
    await vi.waitFor(() => expect(reads).toHaveLength(2));
    reads[1]!(session('95.00'));
    await next;
    expect(store.getState().till).toEqual(session('95.00'));
  });

  it('keeps the newest search when answers arrive out of order', async () => {
    const resolvers: ((v: unknown) => void)[] = [];
    const { transport } = recordingTransport({
      'orders.search': () => new Promise((resolve) => resolvers.push(resolve)),
    });
    const store = createDeskStore(transport);
    const first = store.getState().search('A');
    const second = store.getState().search('AB');
    resolvers[1]!([{ code: 'AB123' }]);
    await second;
    resolvers[0]!([{ code: 'A0000' }]);
    await first;
    expect(store.getState().hits).toEqual([{ code: 'AB123' }]);
  });
});

describe('money and words', () => {
  it('computes change due exactly and only when enough was given', () => {
    expect(changeDue('23.10', '50')).toBe('26.90');
    expect(changeDue('23.10', '23,10')).toBe('0.00');
    expect(changeDue('23.10', '20')).toBeNull();
    expect(changeDue('0.30', '0.1')).toBeNull();
    expect(changeDue('10.00', 'abc')).toBeNull();
  });

  it('speaks German and English with placeholders and local money', () => {
    expect(translate('de', 'sales.low', { n: 2 })).toBe('Nur noch 2');
    expect(translate('en', 'sales.done', { code: 'X1' })).toBe('Order X1 paid');
    expect(formatMoney('de', '1234.50', 'EUR')).toBe('1.234,50 EUR');
    expect(formatMoney('en', '-5.00', 'EUR')).toBe('-EUR 5.00');
    expect(formatCountdown(61_001)).toBe('1:02');
  });
});
