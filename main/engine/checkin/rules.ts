import { zonedTime } from '../clock';
import type { JsonValue } from '../json';
/**
 * Check-in list rules: JSON logic with pretix's extra operators (`inList`, `isAfter`, `isBefore`,
 * `buildTime`, `objectList`, `lookup`, `entries_since`, ...) over the variables pretix offers
 * (`product`, `variation`, `gate`, `now`, `entries_number`, ...).
 */

const BOOLEAN_OPERATORS = ['and', 'or', '!', '!!', 'if', '?:'];
const COMPARISON_OPERATORS = [
  '==',
  '===',
  '!=',
  '!==',
  '<',
  '<=',
  '>',
  '>=',
  'in',
  'inList',
  'isAfter',
  'isBefore',
];
const VALUE_OPERATORS = [
  'var',
  'buildTime',
  'objectList',
  'lookup',
  'entries_since',
  'entries_before',
  'entries_days_since',
  'entries_days_before',
  '+',
  '-',
  '*',
  '/',
  '%',
  'min',
  'max',
  'cat',
];
const ALLOWED_OPERATORS = new Set([...BOOLEAN_OPERATORS, ...COMPARISON_OPERATORS, ...VALUE_OPERATORS]);

function isOperation(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 1
  );
}

/** The first forbidden operator in a rule, as pretix's validation message; undefined when the rule is fine. */
export function validateRules(rules: JsonValue): string | undefined {
  const visit = (node: unknown): string | undefined => {
    if (Array.isArray(node)) {
      for (const n of node) {
        const e = visit(n);
        if (e) return e;
      }
      return undefined;
    }
    if (typeof node === 'object' && node !== null) {
      const keys = Object.keys(node);
      if (keys.length === 0) return undefined;
      for (const key of keys) {
        if (!ALLOWED_OPERATORS.has(key)) return `Logic operator "${key}" is currently not allowed.`;
        const e = visit((node as Record<string, unknown>)[key]);
        if (e) return e;
      }
    }
    return undefined;
  };
  return visit(rules);
}

export function rulesAreEmpty(rules: JsonValue): boolean {
  return (
    rules === null ||
    rules === undefined ||
    (typeof rules === 'object' && !Array.isArray(rules) && Object.keys(rules).length === 0)
  );
}

/** What rules may ask about one scan. Entry statistics are over successful check-ins on the list. */
export interface RuleVariables {
  product: number;
  variation: number | null;
  gate: number | null;
  now: Date;
  timezone: string;
  /** Times of earlier successful check-ins on this list, oldest first. */
  entries: Date[];
  /** Type of the newest earlier check-in on this list. */
  lastType: 'entry' | 'exit' | null;
  dates: { date_from: string | null; date_to: string | null; date_admission: string | null };
}

function localDate(date: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: timezone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(date);
}

function isoWeekday(date: Date, timezone: string): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short' }).format(date);
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name) + 1;
}

/** A wall-clock time ("HH:MM[:SS]") on the scan's local day, in the event's time zone. */
function timeOnDay(now: Date, time: string, timezone: string): Date {
  const day = localDate(now, timezone);
  const [h = '0', m = '0', s = '0'] = time.split(':');
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return zonedTime(
    { year, month, day: date, hour: Number(h), minute: Number(m), second: Number(s) },
    timezone,
  );
}

function toTime(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) return new Date(value);
  return undefined;
}

function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}

function compare(a: unknown, b: unknown): number {
  const ta = a instanceof Date ? a.getTime() : a;
  const tb = b instanceof Date ? b.getTime() : b;
  if (typeof ta === 'number' && typeof tb === 'number') return ta - tb;
  const na = Number(ta);
  const nb = Number(tb);
  if (!Number.isNaN(na) && !Number.isNaN(nb) && ta !== '' && tb !== '') return na - nb;
  return String(ta) < String(tb) ? -1 : String(ta) > String(tb) ? 1 : 0;
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (a instanceof Date || b instanceof Date) return compare(a, b) === 0;
  if (typeof a === typeof b) return a === b;
  if (a === null || b === null) return a === b;
  return String(a) === String(b) || Number(a) === Number(b);
}

function withTolerance(time: Date, minutes: unknown, sign: 1 | -1): Date {
  const m = Number(minutes);
  if (!minutes || Number.isNaN(m)) return time;
  return new Date(time.getTime() + sign * m * 60_000);
}

function minutesSince(v: RuleVariables, entry: Date | undefined): number {
  return entry ? Math.floor((v.now.getTime() - entry.getTime()) / 60_000) : -1;
}

/** pretix's rule variables (`{"var": name}`), each read from the facts of the check-in; others are null. */
const RULE_VARIABLES = new Map<string, (v: RuleVariables) => unknown>([
  ['product', (v) => v.product],
  ['variation', (v) => v.variation],
  ['gate', (v) => v.gate],
  ['now', (v) => v.now],
  ['now_isoweekday', (v) => isoWeekday(v.now, v.timezone)],
  ['entries_number', (v) => v.entries.length],
  [
    'entries_today',
    (v) => {
      const today = localDate(v.now, v.timezone);
      return v.entries.filter((e) => localDate(e, v.timezone) === today).length;
    },
  ],
  ['entries_days', (v) => new Set(v.entries.map((e) => localDate(e, v.timezone))).size],
  ['minutes_since_last_entry', (v) => minutesSince(v, v.entries[v.entries.length - 1])],
  ['minutes_since_first_entry', (v) => minutesSince(v, v.entries[0])],
  ['entry_status', (v) => (v.lastType === 'entry' ? 'present' : 'absent')],
]);

export class RuleEvaluator {
  constructor(private readonly vars: RuleVariables) {}

  private variable(name: string): unknown {
    const read = RULE_VARIABLES.get(name);
    return read ? read(this.vars) : null;
  }

  private evaluate(node: unknown): unknown {
    if (Array.isArray(node)) return node.map((n) => this.evaluate(n));
    if (!isOperation(node)) return node;
    const op = Object.keys(node)[0]!;
    const raw = node[op];
    const args = Array.isArray(raw) ? raw : [raw];
    switch (op) {
      case 'and': {
        let last: unknown = true;
        for (const a of args) {
          last = this.evaluate(a);
          if (!truthy(last)) return last;
        }
        return last;
      }
      case 'or': {
        let last: unknown = false;
        for (const a of args) {
          last = this.evaluate(a);
          if (truthy(last)) return last;
        }
        return last;
      }
      case 'if':
      case '?:': {
        for (let i = 0; i + 1 < args.length; i += 2)
          if (truthy(this.evaluate(args[i]))) return this.evaluate(args[i + 1]);
        return args.length % 2 === 1 ? this.evaluate(args[args.length - 1]) : null;
      }
      case 'var':
        return this.variable(String(this.evaluate(args[0])));
    }
    const values = args.map((a) => this.evaluate(a));
    const [a, b, c] = values;
    switch (op) {
      case '!':
        return !truthy(a);
      case '!!':
        return truthy(a);
      case '==':
        return looseEquals(a, b);
      case '===':
        return a === b;
      case '!=':
        return !looseEquals(a, b);
      case '!==':
        return a !== b;
      case '<':
        return c !== undefined ? compare(a, b) < 0 && compare(b, c) < 0 : compare(a, b) < 0;
      case '<=':
        return c !== undefined ? compare(a, b) <= 0 && compare(b, c) <= 0 : compare(a, b) <= 0;
      case '>':
        return compare(a, b) > 0;
      case '>=':
        return compare(a, b) >= 0;
      case 'in':
        return Array.isArray(b) ? b.some((x) => looseEquals(x, a)) : String(b ?? '').includes(String(a));
      case 'inList':
        return Array.isArray(b) && b.some((x) => looseEquals(x, a));
      case 'objectList':
        return values;
      case 'lookup':
        return Number(b);
      case '+':
        return values.reduce((s: number, x) => s + Number(x), 0);
      case '-':
        return values.length === 1 ? -Number(a) : Number(a) - Number(b);
      case '*':
        return values.reduce((s: number, x) => s * Number(x), 1);
      case '/':
        return Number(a) / Number(b);
      case '%':
        return Number(a) % Number(b);
      case 'min':
        return Math.min(...values.map(Number));
      case 'max':
        return Math.max(...values.map(Number));
      case 'cat':
        return values.map((x) => String(x ?? '')).join('');
      case 'buildTime':
        return this.buildTime(String(a), b);
      case 'isAfter': {
        const t1 = toTime(a);
        const t2 = toTime(b);
        return !!t1 && !!t2 && t1.getTime() > withTolerance(t2, c, -1).getTime();
      }
      case 'isBefore': {
        const t1 = toTime(a);
        const t2 = toTime(b);
        return !!t1 && !!t2 && t1.getTime() < withTolerance(t2, c, 1).getTime();
      }
      case 'entries_since':
      case 'entries_before':
      case 'entries_days_since':
      case 'entries_days_before': {
        const t = toTime(a);
        if (!t) return 0;
        const selected = this.vars.entries.filter((e) =>
          op.endsWith('since') ? e.getTime() >= t.getTime() : e.getTime() < t.getTime(),
        );
        return op.startsWith('entries_days')
          ? new Set(selected.map((e) => localDate(e, this.vars.timezone))).size
          : selected.length;
      }
      default:
        return null;
    }
  }

  private buildTime(kind: string, value: unknown): Date | null {
    const d = this.vars.dates;
    switch (kind) {
      case 'custom':
        return toTime(value) ?? null;
      case 'customtime':
        return typeof value === 'string' ? timeOnDay(this.vars.now, value, this.vars.timezone) : null;
      case 'date_from':
        return d.date_from ? new Date(d.date_from) : null;
      case 'date_to':
        return d.date_to ? new Date(d.date_to) : null;
      case 'date_admission':
        return d.date_admission ? new Date(d.date_admission) : d.date_from ? new Date(d.date_from) : null;
      default:
        return null;
    }
  }

  passes(rules: JsonValue): boolean {
    if (rulesAreEmpty(rules)) return true;
    return truthy(this.evaluate(rules));
  }

  /** Why the rule refused, in short phrases like pretix's explanations. */
  explain(rules: JsonValue): string {
    const reasons = this.failing(rules);
    return reasons.length ? [...new Set(reasons)].join(', ') : 'Custom rule not satisfied';
  }

  private failing(node: unknown): string[] {
    if (!isOperation(node)) return truthy(this.evaluate(node)) ? [] : ['Custom rule not satisfied'];
    const op = Object.keys(node)[0]!;
    const raw = node[op];
    const args = Array.isArray(raw) ? raw : [raw];
    if (truthy(this.evaluate(node))) return [];
    if (op === 'and') return args.flatMap((a) => this.failing(a));
    if (op === 'or') {
      const parts = args.map((a) => this.failing(a).join(', ')).filter(Boolean);
      return parts.length ? [parts.join(' or ')] : [];
    }
    return [this.describe(op, args)];
  }

  private describe(op: string, args: unknown[]): string {
    const varName = (n: unknown): string | undefined =>
      isOperation(n) && 'var' in n ? String(Array.isArray(n.var) ? n.var[0] : n.var) : undefined;
    const left = varName(args[0]);
    const timeText = (n: unknown): string => {
      const t = toTime(this.evaluate(n));
      if (!t) return '?';
      return new Intl.DateTimeFormat('en-GB', {
        timeZone: this.vars.timezone,
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(t);
    };
    if (op === 'inList' || op === 'in' || op === '==' || op === '!=') {
      if (left === 'product' || left === 'variation') return 'Ticket type not allowed';
      if (left === 'gate') return 'Wrong entrance gate';
      if (left === 'now_isoweekday') return 'Wrong weekday';
      if (left === 'entry_status') return left ? 'Wrong entry status' : 'Custom rule not satisfied';
    }
    if (op === 'isAfter') return `Only allowed after ${timeText(args[1])}`;
    if (op === 'isBefore') return `Only allowed before ${timeText(args[1])}`;
    if (left?.startsWith('entries') || left?.startsWith('minutes_since')) {
      if (op === '<' || op === '<=') return 'Maximum number of entries exceeded';
      if (op === '>' || op === '>=') return 'Minimum number of entries not reached';
      return 'Number of entries not allowed';
    }
    return 'Custom rule not satisfied';
  }
}
