import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  AppInfo,
  ApprovalEntry,
  Cart,
  EventSummary,
  Locale,
  OrderDetail,
  OrderHit,
  PaymentInput,
  ProductTile,
  RpcInput,
  RpcMethod,
  RpcOutput,
  SaleResult,
  TillSession,
} from '../../shared/contract';
import { RpcError, type Transport } from './transport';
import { randomHex, withActionKeys } from './action-keys';

/** The desk's screens, in the order of the navigation and of Alt+1 … Alt+9. */
export const SCREENS = [
  'sales',
  'orders',
  'approvals',
  'refunds',
  'dashboard',
  'setup',
  'settings',
  'checkin',
  'shift',
] as const;
export type Screen = (typeof SCREENS)[number];

export interface Notice {
  kind: 'error' | 'ok';
  text: string;
}

export interface LineDetails {
  attendeeName: string;
  answers: Record<number, string>;
  /** A price below the listed one; empty sells at the listed price. */
  price?: string;
}

export type PaymentMethod = PaymentInput['method'];

export interface DeskState {
  info: AppInfo | null;
  locale: Locale;
  screen: Screen;
  notice: Notice | null;
  busy: boolean;

  events: EventSummary[];
  eventId: number | null;
  subeventId: number | null;
  tiles: ProductTile[];
  cartId: string;
  cart: Cart | null;
  lineDetails: Record<number, LineDetails>;
  email: string;
  payment: PaymentMethod;
  given: string;
  lastSale: SaleResult | null;
  /** True while a sale is being completed: further presses wait for its answer. */
  completing: boolean;
  /** The id of a quick sale whose answer has not come yet; a retry reuses it. */
  quickSaleId: string | null;
  /** Why tickets of this sale are sold free or below their price. */
  priceReason: string;

  query: string;
  hits: OrderHit[];
  /** The query the shown hits answer (a scan types faster than its search answers). */
  hitsQuery: string;
  order: OrderDetail | null;
  approvals: ApprovalEntry[];

  /** Who sells at this desk and its open shift; null until loaded. */
  till: TillSession | null;
  /** A manager's PIN being asked for (the action waits for it), with the engine's name of the action. */
  managerPrompt: { message: string; action: string | null; answer: (pin: string | null) => void } | null;
}

export interface DeskActions {
  can(method: RpcMethod): boolean;
  start(): Promise<void>;
  refreshInfo(): Promise<void>;
  reloadEvents(): Promise<void>;
  go(screen: Screen): void;
  setLocale(locale: Locale): Promise<void>;
  dismiss(): void;
  selectEvent(eventId: number, subeventId?: number | null): Promise<void>;
  refreshTiles(): Promise<void>;
  addToCart(tile: ProductTile, count?: number): Promise<void>;
  removeLine(lineId: number): Promise<void>;
  refreshCart(): Promise<void>;
  setLine(lineId: number, change: Partial<LineDetails>): void;
  setPayment(method: PaymentMethod): void;
  setGiven(amount: string): void;
  setEmail(email: string): void;
  setPriceReason(reason: string): void;
  completeSale(): Promise<SaleResult | null>;
  quickSell(): Promise<SaleResult | null>;
  nextSale(): Promise<void>;
  search(query: string): Promise<void>;
  openOrder(code: string): Promise<void>;
  /** Opens the hit at `index` for the query as typed now, searching first if its answer is not in. */
  openHit(index: number): Promise<void>;
  loadApprovals(): Promise<void>;
  decide(code: string, approve: boolean, comment: string): Promise<void>;
  refund(input: RpcInput<'refunds.create'>, okText?: string): Promise<boolean>;
  /** The order list again for the current query, so a changed order shows its new state there too. */
  refreshHits(): Promise<void>;
  /** A lifecycle action on the open order; the order as it is afterwards replaces it. */
  orderAction(
    method:
      | 'orders.markPaid'
      | 'orders.extend'
      | 'orders.cancel'
      | 'orders.changeName'
      | 'approvals.approve'
      | 'approvals.deny',
    input:
      | RpcInput<'orders.markPaid'>
      | RpcInput<'orders.extend'>
      | RpcInput<'orders.changeName'>
      | RpcInput<'approvals.approve'>
      | { code: string },
    okText?: string,
  ): Promise<boolean>;
  /**
   * Runs one call with the busy flag; a refusal becomes the notice. An action (not `quiet`) first
   * clears the previous action's notice, so an old error never stands next to a new success.
   */
  run<T>(work: () => Promise<T>, okText?: string, quiet?: boolean): Promise<T | null>;
  loadTill(): Promise<void>;
  setTill(till: TillSession): void;
  /**
   * Calls a method that a cashier may need a manager for: on `manager_required` the desk asks for a
   * manager's PIN and calls again with it. Cancelling the prompt gives null.
   */
  withManager<M extends RpcMethod>(
    method: M,
    input: RpcInput<M> & { managerPin?: string | null },
    okText?: string,
  ): Promise<RpcOutput<M> | null>;
  /** A call whose result a screen keeps for itself; a refusal shows as the notice and gives null. */
  request<M extends RpcMethod>(method: M, input: RpcInput<M>, okText?: string): Promise<RpcOutput<M> | null>;
  /** Shows a note of success whose words depend on what the call answered. */
  say(text: string): void;
  /** A background look (the print queue's state): no busy flag, no notice; a failure is thrown. */
  peek<M extends RpcMethod>(method: M, input: RpcInput<M>): Promise<RpcOutput<M>>;
}

export type DeskStore = StoreApi<DeskState & DeskActions>;

/** Reads never clear the notice: a refresh in the background must not hide what the last action said. */
const READS: ReadonlySet<RpcMethod> = new Set<RpcMethod>([
  'app.info',
  'events.list',
  'sales.tiles',
  'cart.get',
  'orders.search',
  'orders.get',
  'approvals.list',
  'dashboard.stats',
  'setup.event',
  'tokens.list',
  'devices.list',
  'checkin.lists',
  'checkin.status',
  'checkin.search',
  'till.session',
]);

/** A new sale's cart id, which is also the sale's id: completing it twice gives one order. */
export function newCartId(): string {
  return `desk-${randomHex(12)}@api`;
}

export function newQuickSaleId(): string {
  return `quick-${randomHex(12)}`;
}

/** The open sale as kept across a reload: its id (the cart), where it was sold and what was typed. */
export interface SavedSale {
  cartId: string;
  eventId: number | null;
  subeventId: number | null;
  lineDetails: Record<number, LineDetails>;
  email: string;
  payment: PaymentMethod;
  given: string;
  priceReason: string;
}

export const SAVED_SALE_KEY = 'guichet.openSale';

function readSavedSale(storage: Storage | null): SavedSale | null {
  try {
    const raw = storage?.getItem(SAVED_SALE_KEY);
    if (!raw) return null;
    const saved = JSON.parse(raw) as SavedSale;
    return typeof saved.cartId === 'string' && /^desk-[0-9a-f]{8,64}@api$/.test(saved.cartId) ? saved : null;
  } catch {
    return null;
  }
}

/** Change due for a cash payment, in cents to stay exact; null while the amount given is short or unreadable. */
export function changeDue(total: string, given: string): string | null {
  const cents = (text: string): number | null => {
    const m = /^\s*(\d+)(?:[.,](\d{1,2}))?\s*$/.exec(text);
    if (!m) return null;
    return Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  };
  const t = cents(total);
  const g = cents(given);
  if (t === null || g === null || g < t) return null;
  const d = g - t;
  return `${Math.floor(d / 100)}.${String(d % 100).padStart(2, '0')}`;
}

/**
 * The desk's state and actions. `storage` (the page's localStorage) keeps the open sale, so that a
 * reload comes back to the same cart, event and date instead of leaving its places reserved.
 */
export function createDeskStore(transport: Transport, storage: Storage | null = null): DeskStore {
  const saved = readSavedSale(storage);
  const store = createStore<DeskState & DeskActions>()((set, get) => {
    // Money actions carry a key per action, kept across retries of an unanswered call.
    const call = withActionKeys(transport.call.bind(transport));
    /** Counts the till's updates, so that a read answered after a newer update is dropped. */
    let tillUpdates = 0;
    /** Reads the till; a drawer figure read before a later cash movement or sale answered must not replace it. */
    const readTill = async () => {
      const asked = ++tillUpdates;
      const till = await call('till.session', {});
      if (asked === tillUpdates) set({ till });
    };
    const text = (e: unknown) => (e instanceof RpcError || e instanceof Error ? e.message : String(e));
    /**
     * The sale being completed: a ticket added meanwhile belongs to the next sale, so it waits for the
     * new cart (else it lands in the sold cart, reserved for nobody and unseen until it expires).
     */
    let completion: Promise<unknown> | null = null;

    return {
      info: null,
      locale: 'en',
      screen: 'sales',
      notice: null,
      busy: false,
      events: [],
      eventId: null,
      subeventId: null,
      tiles: [],
      cartId: saved?.cartId ?? newCartId(),
      cart: null,
      lineDetails: saved?.lineDetails ?? {},
      email: saved?.email ?? '',
      payment: saved?.payment ?? 'cash',
      given: saved?.given ?? '',
      lastSale: null,
      completing: false,
      quickSaleId: null,
      priceReason: saved?.priceReason ?? '',
      query: '',
      hits: [],
      hitsQuery: '',
      order: null,
      approvals: [],
      till: null,
      managerPrompt: null,

      can: (method) => get().info?.methods.includes(method) ?? false,

      async run(work, okText, quiet = false) {
        set(quiet ? { busy: true } : { busy: true, notice: null });
        try {
          const result = await work();
          set({ busy: false, notice: okText ? { kind: 'ok', text: okText } : get().notice });
          return result;
        } catch (e) {
          set({ busy: false, notice: { kind: 'error', text: text(e) } });
          return null;
        }
      },

      peek: (method, input) => call(method, input),

      say: (okText) => set({ notice: { kind: 'ok', text: okText } }),

      request: (method, input, okText) =>
        get().run(() => call(method, input), okText, READS.has(method) && okText === undefined),

      async loadTill() {
        if (get().can('till.session')) await get().run(readTill, undefined, true);
      },

      setTill: (till) => {
        tillUpdates++;
        set({ till });
      },

      withManager(method, input, okText) {
        return get().run(async () => {
          try {
            return await call(method, input);
          } catch (e) {
            if (!(e instanceof RpcError) || e.code !== 'manager_required') throw e;
            const body = e.body as { action?: unknown } | null;
            const action = typeof body?.action === 'string' ? body.action : null;
            const pin = await new Promise<string | null>((answer) =>
              set({ managerPrompt: { message: e.message, action, answer } }),
            );
            set({ managerPrompt: null });
            if (pin === null) throw e;
            return await call(method, { ...input, managerPin: pin });
          }
        }, okText);
      },

      async reloadEvents() {
        const events = await get().run(() => call('events.list', {}), undefined, true);
        if (!events) return;
        set({ events });
        const current = events.find((e) => e.id === get().eventId) ?? events[0];
        if (current && current.id !== get().eventId) {
          await get().selectEvent(
            current.id,
            current.hasSubevents ? (current.subevents[0]?.id ?? null) : null,
          );
        } else await get().refreshTiles();
      },

      async refreshInfo() {
        const info = await get().run(() => call('app.info', {}), undefined, true);
        if (info) set({ info });
      },

      async start() {
        await get().run(async () => {
          const info = await call('app.info', {});
          set({ info, locale: info.settings.locale });
          const events = await call('events.list', {});
          set({ events });
          const resumed = saved ? events.find((e) => e.id === saved.eventId) : undefined;
          const first = resumed ?? events[0];
          if (first) {
            const sub =
              resumed &&
              (saved?.subeventId == null || resumed.subevents.some((d) => d.id === saved.subeventId))
                ? (saved?.subeventId ?? null)
                : first.hasSubevents
                  ? (first.subevents[0]?.id ?? null)
                  : null;
            await get().selectEvent(first.id, sub);
          }
          // The sale that was open before the reload: same cart, same reservation.
          if (saved && get().can('cart.get')) {
            const cart = await call('cart.get', { cartId: saved.cartId });
            if (cart.lines.length > 0) set({ cart });
          }
          if (get().can('approvals.list')) await get().loadApprovals();
          if (get().can('till.session')) await readTill();
        });
      },

      go(screen) {
        set({ screen, notice: null });
        if (screen === 'approvals') void get().loadApprovals();
        if (screen === 'sales') void get().refreshTiles();
        if (screen === 'orders') void get().search(get().query);
        if (screen === 'shift' || screen === 'dashboard' || screen === 'sales') void get().loadTill();
      },

      async setLocale(locale) {
        const info = get().info;
        if (info && get().can('settings.update')) {
          // The server names events and items in the desk's language: store it first, then reload them.
          const settings = await get().run(() => call('settings.update', { locale }));
          if (!settings) return;
          set({ locale, info: { ...info, settings } });
          await get().reloadEvents();
          const order = get().order;
          if (order) await get().openOrder(order.code);
          await get().loadApprovals();
        } else set({ locale });
      },

      dismiss: () => set({ notice: null }),

      async selectEvent(eventId, subeventId = null) {
        // A sale is for one event and date: moving to another gives back the open cart's places and
        // starts a new sale, so no order mixes tickets of two events.
        const { cart, cartId } = get();
        const moved = eventId !== get().eventId || subeventId !== get().subeventId;
        if (moved && cart && cart.lines.length > 0) {
          if (get().can('cart.clear')) await get().run(() => call('cart.clear', { cartId }));
          set({ cart: null, lineDetails: {}, email: '', given: '', priceReason: '', cartId: newCartId() });
        }
        // The previous event's tiles go at once: a key pressed before the new ones arrive must not sell
        // a ticket of the event the cashier just left.
        set(moved ? { eventId, subeventId, tiles: [] } : { eventId, subeventId });
        await get().refreshTiles();
      },

      async refreshTiles() {
        const { eventId, subeventId } = get();
        if (eventId === null) return;
        const tiles = await get().run(() => call('sales.tiles', { eventId, subeventId }), undefined, true);
        // An answer that arrives after the cashier moved on is another event's: it is not shown.
        if (tiles && get().eventId === eventId && get().subeventId === subeventId) set({ tiles });
      },

      async addToCart(tile, count = 1) {
        if (completion) await completion;
        const { eventId, subeventId, cartId } = get();
        if (eventId === null) return;
        const cart = await get().run(() =>
          call('cart.add', {
            cartId,
            eventId,
            subeventId,
            itemId: tile.itemId,
            variationId: tile.variationId,
            count,
          }),
        );
        if (cart) set({ cart, lastSale: null });
        await get().refreshTiles();
      },

      async removeLine(lineId) {
        const cart = await get().run(() => call('cart.remove', { cartId: get().cartId, lineId }));
        if (cart) set({ cart });
        await get().refreshTiles();
      },

      async refreshCart() {
        const cart = await get().run(() => call('cart.get', { cartId: get().cartId }), undefined, true);
        if (cart) set({ cart });
        await get().refreshTiles();
      },

      setLine(lineId, change) {
        const current = get().lineDetails[lineId] ?? { attendeeName: '', answers: {} };
        set({ lineDetails: { ...get().lineDetails, [lineId]: { ...current, ...change } } });
      },
      setPayment: (payment) => set({ payment }),
      setGiven: (given) => set({ given }),
      setEmail: (email) => set({ email }),
      setPriceReason: (priceReason) => set({ priceReason }),

      async completeSale() {
        const { cart, eventId, subeventId, payment, given, lineDetails, email, cartId, priceReason } = get();
        if (!cart || cart.lines.length === 0 || eventId === null || get().completing) return null;
        set({ completing: true });
        let done = () => {};
        completion = new Promise<void>((resolve) => (done = resolve));
        const paymentInput: PaymentInput =
          payment === 'cash' ? { method: 'cash', given: given.trim() || cart.total } : { method: payment };
        const result = await get().run(() =>
          call('sale.complete', {
            saleId: cartId,
            cartId,
            eventId,
            subeventId,
            email: email.trim() || null,
            payment: paymentInput,
            positions: cart.lines.map((line) => {
              const details = lineDetails[line.id];
              return {
                itemId: line.itemId,
                variationId: line.variationId,
                attendeeName: details?.attendeeName.trim() || null,
                answers: Object.entries(details?.answers ?? {})
                  .filter(([, answer]) => answer.trim() !== '')
                  .map(([questionId, answer]) => ({ questionId: Number(questionId), answer })),
                price: details?.price?.trim() || null,
              };
            }),
            priceReason: priceReason.trim() || null,
          }),
        );
        if (result) {
          set({
            lastSale: result,
            cart: null,
            lineDetails: {},
            email: '',
            given: '',
            priceReason: '',
            cartId: newCartId(),
            completing: false,
          });
        } else set({ completing: false });
        completion = null;
        done();
        if (result) {
          await get().refreshTiles();
          void get().loadTill();
        }
        return result;
      },

      async quickSell() {
        const { eventId, subeventId } = get();
        if (eventId === null || get().completing) return null;
        // One id per press: a retry after a network error sells nothing twice.
        const saleId = get().quickSaleId ?? newQuickSaleId();
        set({ completing: true, quickSaleId: saleId });
        const result = await get().run(async () => {
          try {
            return await call('sale.quickSell', { saleId, eventId, subeventId });
          } catch (e) {
            // Refused: the next press is a new sale. Unanswered: the next press retries this one.
            if (!(e instanceof RpcError && e.status === 0)) set({ quickSaleId: null });
            throw e;
          }
        });
        set({ completing: false });
        if (result) {
          set({ lastSale: result, quickSaleId: null });
          await get().refreshTiles();
        }
        return result;
      },

      async nextSale() {
        // The sale on its way is not given up: its answer (the order, the change due) is shown first.
        if (get().completing) return;
        const { cart, cartId } = get();
        if (cart && cart.lines.length > 0 && get().can('cart.clear')) {
          await get().run(() => call('cart.clear', { cartId }));
        }
        set({
          cart: null,
          lineDetails: {},
          email: '',
          given: '',
          payment: 'cash',
          priceReason: '',
          lastSale: null,
          cartId: newCartId(),
          notice: null,
        });
        await get().refreshTiles();
      },

      async search(query) {
        set({ query });
        const hits = await get().run(() => call('orders.search', { query, limit: 25 }));
        // A slower answer to an older query must not overwrite a newer one.
        if (hits && get().query === query) set({ hits, hitsQuery: query });
      },

      async openHit(index) {
        const query = get().query;
        if (get().hitsQuery !== query) await get().search(query);
        if (get().query !== query) return;
        const hit = get().hits[index] ?? get().hits[0];
        if (hit) await get().openOrder(hit.code);
      },

      async openOrder(code) {
        const order = await get().run(() => call('orders.get', { code }));
        if (order) set({ order });
      },

      async loadApprovals() {
        if (!get().can('approvals.list')) return;
        const approvals = await get().run(() => call('approvals.list', {}), undefined, true);
        if (approvals) set({ approvals });
      },

      async decide(code, approve, comment) {
        const order = await get().run(() =>
          call(approve ? 'approvals.approve' : 'approvals.deny', { code, comment }),
        );
        if (order) {
          set({ order });
          await get().loadApprovals();
        }
      },

      async orderAction(method, input, okText) {
        const order =
          method === 'orders.cancel'
            ? await get().withManager('orders.cancel', input as RpcInput<'orders.cancel'>, okText)
            : await get().run(() => call(method, input as never), okText);
        if (!order) return false;
        set({ order });
        await get().loadApprovals();
        await get().refreshHits();
        return true;
      },

      async refund(input, okText) {
        const order = await get().withManager('refunds.create', input, okText);
        if (!order) return false;
        set({ order });
        void get().loadTill();
        await get().refreshHits();
        return true;
      },

      async refreshHits() {
        const query = get().query;
        if (!query) return;
        const hits = await get().run(() => call('orders.search', { query, limit: 25 }), undefined, true);
        if (hits && get().query === query) set({ hits, hitsQuery: query });
      },
    };
  });
  if (storage) {
    store.subscribe((state) => {
      const open = state.cart !== null && state.cart.lines.length > 0;
      try {
        if (!open) storage.removeItem(SAVED_SALE_KEY);
        else {
          const sale: SavedSale = {
            cartId: state.cartId,
            eventId: state.eventId,
            subeventId: state.subeventId,
            lineDetails: state.lineDetails,
            email: state.email,
            payment: state.payment,
            given: state.given,
            priceReason: state.priceReason,
          };
          storage.setItem(SAVED_SALE_KEY, JSON.stringify(sale));
        }
      } catch {
        // A full or blocked storage only loses the resume-after-reload convenience.
      }
    });
  }
  return store;
}
