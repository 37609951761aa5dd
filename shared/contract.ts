/**
 * The desk's contract: every method the renderer may call, with its input and output. The renderer sees
 * only these shapes, never SQL or Node; `main/rpc/` serves them over Electron IPC or over
 * `POST /rpc/<method>` in the browser. Money is exact decimal text ("23.00"), times are UTC ISO-8601.
 */

export type Locale = 'en' | 'de';
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

export interface DeskSettings {
  locale: Locale;
  api: { enabled: boolean; host: string; port: number };
  printer: { name: string; paper: 'a4' | 'letter' | '80mm' | 'thermal-2x5.5in' };
  backupFolder: string | null;
  /** This desk's name, shown in the header and on every receipt and report. */
  deskName: string;
  /** Item sold by the quick-sell key (one anonymous ticket paid in cash). */
  quickSell: {
    eventId: number;
    subeventId: number | null;
    itemId: number;
    variationId: number | null;
    name: string;
  } | null;
  /** Print each desk sale's and refund's receipt on the receipts printer by itself. */
  printReceipts: boolean;
}

export interface ApiTokenView {
  id: number;
  name: string;
  scope: 'all' | 'read' | 'checkin';
  created: string;
  revokedAt: string | null;
  lastUsed: string | null;
}

export interface EventSummary {
  id: number;
  slug: string;
  name: string;
  currency: string;
  dateFrom: string | null;
  hasSubevents: boolean;
  live: boolean;
  subevents: { id: number; name: string; dateFrom: string; active: boolean }[];
}

export type Availability = 'ok' | 'low' | 'sold_out' | 'unlimited';

export interface ProductTile {
  itemId: number;
  variationId: number | null;
  name: string;
  price: string;
  admission: boolean;
  requireApproval: boolean;
  /** Free places across the item's quotas (the smallest); null where no quota limits it. */
  free: number | null;
  /** What no quota covers cannot be sold, as in pretix. */
  availability: Availability | 'no_quota';
  questions: QuestionView[];
}

export interface QuestionView {
  id: number;
  identifier: string;
  question: string;
  type: string;
  required: boolean;
  options: { id: number; identifier: string; answer: string }[];
}

export interface CartLine {
  id: number;
  itemId: number;
  variationId: number | null;
  name: string;
  price: string;
  expires: string;
}

export interface Cart {
  cartId: string;
  lines: CartLine[];
  total: string;
  /** The earliest expiry of the cart's reservations. */
  expires: string | null;
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

export type PrinterRole = 'tickets' | 'receipts' | 'reports';

export interface PrinterSettings {
  name: string;
  role: PrinterRole;
  /** `system`: a printer of the computer (CUPS `lp`); `tcp`: raw TCP, host:port; `device`: a device file. */
  connection: 'system' | 'tcp' | 'device';
  address: string;
  protocol: 'pdf' | 'fgl' | 'escpos';
  dpi: number;
  paper: 'a4' | 'letter' | '80mm' | 'thermal-2x5.5in';
  printWidthMm: number;
  enabled: boolean;
}

export interface PrinterView extends PrinterSettings {
  id: number;
  /** `held`: out of paper, jammed or unreachable; `stateReason` says so in words. */
  state: 'ready' | 'held';
  stateReason: string | null;
}

export interface PrintJobView {
  id: number;
  printerId: number;
  printerName: string;
  title: string;
  orderCode: string | null;
  state: 'queued' | 'printing' | 'done' | 'failed' | 'canceled';
  /** Why it waits or failed, in words. */
  reason: string | null;
  pagesDone: number;
  pagesTotal: number | null;
  /** A page was sent but never confirmed: the desk says whether it came out. */
  unconfirmedPage: number | null;
  reprint: boolean;
  created: string;
}

export interface PrintQueueView {
  printers: PrinterView[];
  jobs: PrintJobView[];
}

export interface OrderHit {
  code: string;
  eventId: number;
  eventName: string;
  status: OrderStatus;
  requireApproval: boolean;
  email: string | null;
  total: string;
  datetime: string;
  attendees: string[];
  /** Why it matched: 'code' | 'name' | 'email' | 'secret'. */
  matched: string;
}

export interface OrderDetail extends OrderHit {
  currency: string;
  expires: string;
  comment: string;
  positions: {
    id: number;
    positionid: number;
    item: string;
    variation: string | null;
    price: string;
    attendeeName: string | null;
    attendeeEmail: string | null;
    secret: string;
    canceled: boolean;
    answers: { question: string; answer: string }[];
  }[];
  fees: { type: string; value: string; canceled: boolean }[];
  payments: {
    id: number;
    localId: number;
    state: string;
    amount: string;
    provider: string | null;
    method: DeskMethod;
    created: string;
    /** Its confirmed amount minus the refunds against it (0.00 unless confirmed). */
    refundable: string;
  }[];
  refunds: {
    id: number;
    localId: number;
    state: string;
    amount: string;
    provider: string | null;
    method: DeskMethod;
    created: string;
    comment: string | null;
  }[];
  /** What the desk may still refund: confirmed payments minus refunds. */
  refundable: string;
  checkins: { list: string; type: string; datetime: string; successful: boolean }[];
  log: { datetime: string; action: string; actor: string }[];
  /** What the order's state allows now. */
  actions: OrderAction[];
}

export type OrderAction =
  'mark_paid' | 'extend' | 'cancel' | 'reprint' | 'change_name' | 'approve' | 'deny' | 'refund';

export interface ApprovalEntry {
  code: string;
  eventName: string;
  datetime: string;
  total: string;
  email: string | null;
  lines: { item: string; count: number }[];
}

/**
 * Figures for a range of days (UTC, both ends included) and one event or all. Takings are net of
 * refunds (payments by payment date minus refunds by the day they were made); the per-item rows,
 * the per-method rows and the per-event rows each add up to `takings`.
 */
export interface DashboardStats {
  from: string;
  to: string;
  eventId: number | null;
  currency: string;
  ticketsSold: number;
  takings: string;
  /** `itemId` null is the row of fees (no ticket). */
  perItem: { itemId: number | null; item: string; count: number; revenue: string }[];
  byPaymentMethod: { method: DeskMethod; taken: string; refunded: string; net: string }[];
  byEvent: { eventId: number; event: string; net: string }[];
  /** Tickets sold per hour of the day (24 buckets, UTC). */
  hourly: number[];
}

export interface SetupEventView extends EventSummary {
  items: {
    id: number;
    name: string;
    price: string;
    active: boolean;
    admission: boolean;
    requireApproval: boolean;
    taxRuleId: number | null;
    variations: { id: number; value: string; price: string | null }[];
  }[];
  quotas: {
    id: number;
    name: string;
    size: number | null;
    paid: number;
    pending: number;
    reserved: number;
    free: number | null;
    subeventId: number | null;
    items: number[];
  }[];
  questions: {
    id: number;
    question: string;
    type: string;
    required: boolean;
    items: number[];
    options: { id: number; answer: string }[];
  }[];
  taxRules: { id: number; name: string; rate: string }[];
  checkinLists: { id: number; name: string; allProducts: boolean }[];
}

/** What the Setup screen creates and edits, each with pretix's REST request body. */
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

/** A check-in list of an event, for the Check-in screen's picker. */
export interface CheckinListView {
  id: number;
  name: string;
  eventId: number;
  eventName: string;
  subeventId: number | null;
}

/** One ticket as the Check-in screen shows it after a scan or in search results. */
export interface CheckinTicket {
  positionId: number;
  orderCode: string;
  orderStatus: string;
  positionid: number;
  itemName: string;
  variationName: string | null;
  attendeeName: string | null;
  email: string | null;
  secret: string;
  /** Successful check-ins on the list, oldest first. */
  checkins: { datetime: string; type: 'entry' | 'exit' }[];
}

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

export type CashierRole = 'cashier' | 'manager';
export interface CashierView {
  id: number;
  name: string;
  role: CashierRole;
}

export type TillMethod = 'cash' | 'card' | 'other' | 'free';

export interface ReceiptRef {
  id: number;
  number: number;
  kind: 'sale' | 'refund';
  desk: string;
  created: string;
  total: string;
  method: TillMethod;
}

/** The X figures of a shift (frozen at the Z closing). */
export interface ShiftFiguresView {
  currency: string;
  openingFloat: string;
  sales: { count: number; total: string };
  refunds: { count: number; total: string };
  comps: { count: number };
  byMethod: { method: TillMethod; sales: string; refunds: string; net: string }[];
  taxes: { rate: string; net: string; tax: string; gross: string }[];
  cashIn: string;
  cashOut: string;
  movements: { kind: 'in' | 'out'; amount: string; reason: string; at: string }[];
  expectedCash: string;
  firstReceipt: number | null;
  lastReceipt: number | null;
}

export interface ShiftView {
  id: number;
  desk: string;
  state: 'open' | 'closed';
  currency: string;
  opened: string;
  openedBy: string;
  closed: string | null;
  closedBy: string | null;
  zNumber: number | null;
  openingFloat: string;
  expectedCash: string;
  countedCash: string | null;
  difference: string | null;
  comment: string | null;
  denominations: Record<string, number> | null;
  figures: ShiftFiguresView;
}

/** Who sells at this desk, whether a shift is open, and what the login screen may show. */
export interface TillSession {
  desk: string;
  cashier: CashierView | null;
  cashiers: CashierView[];
  /** The demo's cashier and manager PINs, shown while the demo event is the only event. */
  demoPins: { name: string; role: CashierRole; pin: string }[];
  shift: ShiftView | null;
  /** The currency a new shift counts in, and its notes and coins. */
  currency: string;
  denominations: string[];
}

export type SlipPaper = 'a4' | '80mm';

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
    input: {
      cartId: string;
      eventId: number;
      subeventId: number | null;
      itemId: number;
      variationId: number | null;
      count: number;
    };
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
  'orders.markPaid': { input: { code: string; method: DeskMethod }; output: OrderDetail };
  'orders.extend': { input: { code: string; expires: string }; output: OrderDetail };
  'orders.cancel': { input: { code: string; managerPin?: string | null }; output: OrderDetail };
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
    input: {
      code: string;
      paymentId: number | null;
      /** Either positions to cancel and refund, or an amount. */
      positionIds: number[];
      amount: string | null;
      method: DeskMethod;
      markRefunded: boolean;
      /** A manager's PIN when a cashier refunds. */
      managerPin?: string | null;
    };
    output: OrderDetail;
  };
  'dashboard.stats': {
    /** Days as YYYY-MM-DD; null means today. */
    input: { eventId: number | null; from: string | null; to: string | null };
    output: DashboardStats;
  };
  'setup.event': { input: { eventId: number }; output: SetupEventView };
  'setup.create': {
    input: {
      kind: SetupKind;
      eventId: number | null;
      parentId: number | null;
      body: Record<string, unknown>;
    };
    output: { id: number };
  };
  'setup.update': {
    input: {
      kind: SetupKind;
      eventId: number;
      parentId: number | null;
      id: number;
      body: Record<string, unknown>;
    };
    output: { id: number };
  };
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
  'shift.open': { input: { openingFloat: string; currency: string }; output: TillSession };
  'shift.cash': {
    input: { kind: 'in' | 'out'; amount: string; reason: string; managerPin: string | null };
    output: TillSession;
  };
  'shift.openDrawer': { input: { managerPin: string | null }; output: TillSession };
  'shift.close': { input: { count: Record<string, number>; comment: string }; output: ShiftView };
  'shift.get': { input: { id: number }; output: ShiftView };
  'shift.list': { input: { desk: string | null; date: string | null }; output: ShiftView[] };
  'shift.report': {
    /** printKey (one per click): print on the reports printer where one is set up; printedOn names it. */
    input: { id: number; paper: SlipPaper; printKey?: string };
    output: { pdf: string; title: string; printedOn: string | null };
  };
  'receipts.ofOrder': { input: { code: string }; output: ReceiptRef[] };
  'receipts.pdf': { input: { id: number; paper: SlipPaper }; output: { pdf: string; title: string } };
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
