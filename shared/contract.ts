/**
 * The desk's contract: every method the renderer may call, with its input and output. The renderer sees
 * only these shapes, never SQL or Node; `main/rpc/` serves them over Electron IPC or over
 * `POST /rpc/<method>` in the browser. Money is exact decimal text ("23.00"), times are UTC ISO-8601.
 */

// The views the desk shows are the engine's read models; the renderer imports their types only.
import type { ApprovalEntry, OrderAction, OrderDetail, OrderHit } from '../main/engine/orders';
import type { DashboardStats } from '../main/engine/boxoffice';
import type { SyncStatus } from '../main/engine/sync';
import type { Cart, CartLine, DeskCartAddition } from '../main/engine/carts';
import type { DeskLocale, DeskSettings } from '../main/engine/preferences';
import type { ReceiptRef, ShiftView, TillSession } from '../main/engine/shifts';
import type { Cashier as CashierView, CashierRole } from '../main/engine/cashiers';
import type { PrinterRole, PrinterSettings, PrinterView, PrintJobView } from '../main/engine/printing';
import type { DeskTicket } from '../main/engine/checkin';
import type {
  Availability,
  EventSummary,
  ProductTile,
  QuestionType,
  QuestionView,
  SetupEventView,
} from '../main/engine/catalog';

export type { ApprovalEntry, OrderAction, OrderDetail, OrderHit, DashboardStats, Cart, CartLine };
export type { Availability, EventSummary, ProductTile, QuestionView, SetupEventView };
export type { DeskSettings, ReceiptRef, ShiftView, TillSession, CashierView, CashierRole };
export type { PrinterRole, PrinterSettings, PrinterView, PrintJobView };

export type Locale = DeskLocale;
export const LOCALES: readonly Locale[] = ['en', 'de'];

export type OrderStatus = 'n' | 'p' | 'e' | 'c';

export interface AppInfo {
  version: string;
  mode: 'electron' | 'browser';
  databasePath: string;
  /** The REST API as it runs now (in the browser mode it shares the desk's server). */
  api: { running: boolean; url: string | null };
  /** Methods this build serves; the desk shows the others as not available. */
  methods: RpcMethod[];
  settings: DeskSettings;
}

export interface ApiTokenView {
  id: number;
  name: string;
  scope: 'all' | 'read' | 'checkin';
  created: string;
  revokedAt: string | null;
  lastUsed: string | null;
}

export interface PositionInput {
  itemId: number;
  variationId: number | null;
  attendeeName: string | null;
  answers: { questionId: number; answer: string }[];
  /** A price below the listed one, with the sale's `priceReason`; null or absent sells at the listed price. */
  price?: string | null;
}

/** How money moved at the desk; shown as Cash, Card, Other. */
export type DeskMethod = 'cash' | 'card' | 'other';
export const DESK_METHODS: readonly DeskMethod[] = ['cash', 'card', 'other'];

/** `free` sells every ticket at 0.00 (a comp, with a reason). */
export type PaymentInput =
  { method: 'cash'; given: string } | { method: 'card' } | { method: 'other' } | { method: 'free' };

export interface SaleResult {
  orderCode: string;
  status: OrderStatus;
  total: string;
  change: string | null;
  /** What was sold, at what price. */
  lines: { name: string; price: string }[];
  /** The order's tickets as a PDF (base64), ready to print; null where no ticket is generated. */
  ticketPdf: string | null;
  /** The print job of the tickets where a tickets printer is set up (then `ticketPdf` is null). */
  printJob?: PrintJobView | null;
  /** The customer receipt of the sale. */
  receipt: ReceiptRef | null;
}

export interface PrintQueueView {
  printers: PrinterView[];
  jobs: PrintJobView[];
}

/** What the Setup screen creates and edits. */
export const SETUP_KINDS = [
  'event',
  'subevent',
  'item',
  'variation',
  'quota',
  'question',
  'tax_rule',
  'checkin_list',
  'question_option',
] as const;
export type SetupKind = (typeof SETUP_KINDS)[number];

/** A text in the languages the desk sends it in: language → text (`{ en: 'VAT' }`). */
export type I18nText = Record<string, string>;

/** A tax rule as the Setup screen writes it; `rate` is a percentage as decimal text ("19", "7.5"). */
export interface TaxRuleSetup {
  name: I18nText;
  rate: string;
}

/**
 * A product as the Setup screen writes it; `price` is money as decimal text ("12.50"), never negative.
 * A new product may come with its variations (their names), each on sale at the product's price.
 */
export interface ItemSetup {
  name: I18nText;
  price: string;
  taxRuleId: number | null;
  admission: boolean;
  requireApproval: boolean;
  active: boolean;
  variations?: I18nText[];
}

/** A variation of the product it is created under; without a `price` it sells at the product's. */
export interface VariationSetup {
  value: I18nText;
  price: string | null;
  active: boolean;
  /** Its place among the product's variations. */
  position: number;
}

/** A question asked per ticket of the products `items`; a new choice question comes with its `options`. */
export interface QuestionSetup {
  question: I18nText;
  type: QuestionType;
  required: boolean;
  items: number[];
  options?: QuestionOptionSetup[];
}

/** One answer of a choice question to choose from. */
export interface QuestionOptionSetup {
  answer: I18nText;
}

/**
 * A quota as the Setup screen writes it: `size` is a count as text ("40"), null for unlimited; the
 * products and variations it counts, and its date when the event is a series.
 */
export interface QuotaSetup {
  name: string;
  size: string | null;
  items: number[];
  variations: number[];
  subeventId: number | null;
}

/** A check-in list as the Setup screen writes it: its name, and whether it admits every product. */
export interface CheckinListSetup {
  name: string;
  allProducts: boolean;
}

/** A date of an event series; `dateFrom` is when it begins, an ISO instant ("2030-07-01T18:00:00.000Z"). */
export interface SubeventSetup {
  name: I18nText;
  dateFrom: string;
  active: boolean;
}

/**
 * An event as the Setup screen writes it: `slug` its short name in addresses, `currency` a code ("EUR"),
 * `dateFrom` when it begins (an ISO instant), `hasSubevents` whether it is a series of dates (fixed once
 * created).
 */
export interface EventSetup {
  name: I18nText;
  slug: string;
  currency: string;
  dateFrom: string;
  hasSubevents: boolean;
}

/** The fields the Setup screen sends for each kind, in the desk's words (camelCase, money as text). */
export interface SetupFields {
  event: EventSetup;
  subevent: SubeventSetup;
  item: ItemSetup;
  variation: VariationSetup;
  quota: QuotaSetup;
  question: QuestionSetup;
  tax_rule: TaxRuleSetup;
  checkin_list: CheckinListSetup;
  question_option: QuestionOptionSetup;
}

/** A new object of one kind, with that kind's fields; `eventId` is null for a new event. */
export type SetupCreateInput = {
  [K in SetupKind]: { kind: K; eventId: number | null; parentId: number | null; fields: SetupFields[K] };
}[SetupKind];

/** A change to an object of one kind: only the fields given change. */
export type SetupUpdateInput = {
  [K in SetupKind]: {
    kind: K;
    eventId: number;
    parentId: number | null;
    id: number;
    fields: Partial<SetupFields[K]>;
  };
}[SetupKind];

/** A check-in list of an event, for the Check-in screen's picker. */
export interface CheckinListView {
  id: number;
  name: string;
  eventId: number;
  eventName: string;
  subeventId: number | null;
}

/** One ticket as the Check-in screen shows it after a scan or in search results. */
export type CheckinTicket = DeskTicket;

/** The live counts of a list: who is checked in of those expected. */
export interface CheckinCounts {
  checkedIn: number;
  expected: number;
  inside: number;
}

/**
 * The engine's answer to a scan: `ok`, or `error` with pretix's refusal reason (`invalid`,
 * `already_redeemed`, `unpaid`, `canceled`, `product`, …), or `incomplete` when questions are open.
 */
export interface ScanResult {
  status: 'ok' | 'error' | 'incomplete';
  reason: string | null;
  explanation: string | null;
  requireAttention: boolean;
  ticket: CheckinTicket | null;
}

/** A paired (or still to pair) scanner device, without its secrets. */
export interface DeviceView {
  id: number;
  deviceId: number;
  name: string;
  created: string;
  initialized: string | null;
  revoked: boolean;
}

/** What a new device is paired with: pretix's setup JSON, and it as a QR code (SVG). */
export interface DevicePairing {
  url: string;
  /** The setup JSON the QR code carries: `{"handshake_version": 1, "url": …, "token": …}`. */
  payload: string;
  qrSvg: string;
  /** False when the API listens on loopback only, so no scanner on the network reaches `url`. */
  reachable: boolean;
}

export type SlipPaper = 'a4' | '80mm';

/**
 * A money action's input with the key the desk chose when the cashier started it, sent again on every retry:
 * the same key answers with the first call's result and records nothing twice.
 */
export type Keyed<Input> = Input & { actionKey?: string };

/** Method name → input and output. */
export interface RpcContract {
  'app.info': { input: Record<string, never>; output: AppInfo };
  'settings.update': { input: Partial<DeskSettings>; output: DeskSettings };
  'tokens.list': { input: Record<string, never>; output: ApiTokenView[] };
  'tokens.create': {
    input: { name: string; scope: 'all' | 'read' | 'checkin' };
    output: { token: string; info: ApiTokenView };
  };
  'tokens.revoke': { input: { id: number }; output: ApiTokenView };
  'backup.now': { input: Record<string, never>; output: { path: string; bytes: number } };
  'events.list': { input: Record<string, never>; output: EventSummary[] };
  'sales.tiles': { input: { eventId: number; subeventId: number | null }; output: ProductTile[] };
  'cart.get': { input: { cartId: string }; output: Cart };
  'cart.add': {
    input: DeskCartAddition;
    output: Cart;
  };
  'cart.remove': { input: { cartId: string; lineId: number }; output: Cart };
  'cart.clear': { input: { cartId: string }; output: Cart };
  'sale.complete': {
    input: {
      /** The sale's id (the cart id when absent): completing the same sale again returns the same order. */
      saleId?: string;
      cartId: string;
      eventId: number;
      subeventId: number | null;
      positions: PositionInput[];
      email: string | null;
      payment: PaymentInput;
      /** Why tickets are sold free or below their price (guest list, staff, damaged seat). */
      priceReason?: string | null;
    };
    output: SaleResult;
  };
  /** One ticket of the event's pinned item, paid in cash; idempotent on `saleId` like `sale.complete`. */
  'sale.quickSell': {
    input: { saleId: string; eventId: number; subeventId: number | null };
    output: SaleResult;
  };
  'orders.search': { input: { query: string; limit: number }; output: OrderHit[] };
  'orders.get': { input: { code: string }; output: OrderDetail };
  'orders.markPaid': { input: Keyed<{ code: string; method: DeskMethod }>; output: OrderDetail };
  'orders.extend': { input: { code: string; expires: string }; output: OrderDetail };
  'orders.cancel': { input: Keyed<{ code: string; managerPin?: string | null }>; output: OrderDetail };
  'orders.changeName': { input: { code: string; positionId: number; name: string }; output: OrderDetail };
  'orders.reprint': {
    /** `key`: one per click, so a repeated request queues one reprint. */
    input: { code: string; key?: string };
    output: { ticketPdf: string | null; printJob: PrintJobView | null };
  };
  'approvals.list': { input: Record<string, never>; output: ApprovalEntry[] };
  'approvals.approve': { input: { code: string; comment: string }; output: OrderDetail };
  'approvals.deny': { input: { code: string; comment: string }; output: OrderDetail };
  'refunds.create': {
    input: Keyed<{
      code: string;
      paymentId: number | null;
      /** Either positions to cancel and refund, or an amount. */
      positionIds: number[];
      amount: string | null;
      method: DeskMethod;
      markRefunded: boolean;
      /** A manager's PIN when a cashier refunds. */
      managerPin?: string | null;
    }>;
    output: OrderDetail;
  };
  'dashboard.stats': {
    /** Days as YYYY-MM-DD; null means today. */
    input: { eventId: number | null; from: string | null; to: string | null };
    output: DashboardStats;
  };
  'setup.event': { input: { eventId: number }; output: SetupEventView };
  'setup.create': { input: SetupCreateInput; output: { id: number } };
  'setup.update': { input: SetupUpdateInput; output: { id: number } };
  'setup.delete': {
    input: { kind: Exclude<SetupKind, 'event'>; eventId: number; parentId: number | null; id: number };
    output: { id: number };
  };
  'checkin.lists': { input: Record<string, never>; output: CheckinListView[] };
  'checkin.status': { input: { eventId: number; listId: number }; output: CheckinCounts };
  'checkin.search': {
    input: { eventId: number; listId: number; query: string };
    output: { count: number; tickets: CheckinTicket[] };
  };
  'devices.list': { input: Record<string, never>; output: DeviceView[] };
  'devices.create': { input: { name: string }; output: { device: DeviceView; pairing: DevicePairing } };
  'devices.revoke': { input: { id: number }; output: DeviceView };
  'checkin.redeem': { input: { listId: number; secret: string }; output: ScanResult };
  'printing.queue': { input: Record<string, never>; output: PrintQueueView };
  'printers.save': { input: { id: number | null; printer: PrinterSettings }; output: PrinterView };
  'printers.remove': { input: { id: number }; output: { id: number } };
  'printers.test': { input: { id: number; key: string }; output: PrintJobView };
  'printJobs.retry': { input: { id: number }; output: PrintJobView };
  'printJobs.cancel': { input: { id: number }; output: PrintJobView };
  'printJobs.confirmPrinted': { input: { id: number }; output: PrintJobView };
  'till.session': { input: Record<string, never>; output: TillSession };
  'till.signIn': { input: { cashierId: number; pin: string }; output: TillSession };
  'till.signOut': { input: Record<string, never>; output: TillSession };
  /** The first manager of a box office without cashiers; refused once any cashier exists. */
  'till.firstManager': { input: { name: string; pin: string }; output: TillSession };
  'cashiers.create': { input: { name: string; role: CashierRole; pin: string }; output: CashierView };
  /** A manager alone, or a cashier with a manager's PIN (`manager_required` until given). */
  'cashiers.changePin': {
    input: { cashierId: number; pin: string; managerPin: string | null };
    output: TillSession;
  };
  'cashiers.deactivate': { input: { cashierId: number; managerPin: string | null }; output: TillSession };
  'shift.open': { input: Keyed<{ openingFloat: string; currency: string }>; output: TillSession };
  'shift.cash': {
    input: Keyed<{ kind: 'in' | 'out'; amount: string; reason: string; managerPin: string | null }>;
    output: TillSession;
  };
  'shift.openDrawer': { input: Keyed<{ managerPin: string | null }>; output: TillSession };
  'shift.close': { input: Keyed<{ count: Record<string, number>; comment: string }>; output: ShiftView };
  'shift.get': { input: { id: number }; output: ShiftView };
  'shift.list': { input: { desk: string | null; date: string | null }; output: ShiftView[] };
  'shift.report': {
    /** printKey (one per click): print on the reports printer where one is set up; printedOn names it. */
    input: { id: number; paper: SlipPaper; printKey?: string };
    output: { pdf: string; title: string; printedOn: string | null };
  };
  /** The desk's link to its pretix server or hub; `server` is null for a desk that syncs with none. */
  'sync.status': { input: Record<string, never>; output: SyncStatusView };
  /** A manager sends a refused upload again (a cashier needs a manager's PIN). */
  'sync.retry': { input: { seq: number; managerPin?: string | null }; output: SyncStatusView };
  /** A manager drops a refused upload: the sale stays at the desk, recorded as not uploaded. */
  'sync.drop': { input: { seq: number; managerPin?: string | null }; output: SyncStatusView };
  /** A manager connects the desk: pairing code from the server's setup QR code, or a team API token. */
  'sync.connect': { input: SyncConnectInput; output: SyncStatusView };
  'sync.disconnect': { input: { managerPin?: string | null }; output: SyncStatusView };
  /** Places of a quota the desk keeps ready to sell; 0 gives back every unsold place. */
  'sync.allotment': {
    input: { quotaId: number; size: number; managerPin?: string | null };
    output: SyncStatusView;
  };
  'receipts.ofOrder': { input: { code: string }; output: ReceiptRef[] };
  'receipts.pdf': { input: { id: number; paper: SlipPaper }; output: { pdf: string; title: string } };
}

/** What the desk shows of its link to the server: the engine's sync status as it reads it. */
export type SyncStatusView = SyncStatus;

export interface SyncConnectInput {
  url: string;
  /** `pairing`: the setup token of a device created on the server; `token`: a team API token. */
  kind: 'pairing' | 'token';
  token: string;
  /** The organizer's short name (an API token does not say it; a pairing answers it). */
  organizer?: string;
  event: string;
  managerPin?: string | null;
}

export type RpcMethod = keyof RpcContract;
export type RpcInput<M extends RpcMethod> = RpcContract[M]['input'];
export type RpcOutput<M extends RpcMethod> = RpcContract[M]['output'];

/** How a refused call comes back: the engine's stable code and message, and pretix's error body. */
export interface RpcFailure {
  error: { code: string; message: string; status: number; body: unknown };
}

/** The one function the Electron preload exposes as `window.guichet.invoke`. */
export type Invoke = <M extends RpcMethod>(method: M, input: RpcInput<M>) => Promise<RpcOutput<M>>;

/** The header that carries the per-start session token in the browser mode. */
export const SESSION_HEADER = 'x-guichet-session';
