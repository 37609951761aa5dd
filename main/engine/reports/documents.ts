import type { Database } from 'better-sqlite3';
import { cashierById } from '../cashiers/cashiers';
import { notFound } from '../errors';
import { journalHead } from '../journal/journal';
import { formatAmount, money } from '../money';
import { receiptById, type ReceiptContent } from '../receipts/receipts';
import { wallClockParts } from '../clock';
import { closingHash, reportFigures, shiftById, type Shift } from '../shifts/shifts';
import { deskTimeZone } from '../shifts/till-session';
import { renderSlipPdf, type SlipPaper, type SlipRow } from './slip';

const METHOD_NAMES: Record<string, string> = { cash: 'Cash', card: 'Card', other: 'Other', free: 'Free' };

/** "2026-03-01 20:15" as the desk's wall clock (its event's time zone) shows it; "… UTC" marked so. */
function when(iso: string, timeZone: string): string {
  const p = wallClockParts(new Date(iso), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  const text = `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
  return timeZone === 'UTC' ? `${text} UTC` : text;
}

function name(db: Database, id: number | null): string {
  return id === null ? '' : (cashierById(db, id)?.name ?? `#${id}`);
}

function amount(value: string, currency: string): string {
  return formatAmount(value, currency);
}

/** A table of figures: the first column is text, the others are right-aligned; widths in percent. */
function figureTable(columns: [title: string, width: number][], rows: string[][]): SlipRow {
  return {
    kind: 'table',
    columns: columns.map(([title, width], i) =>
      i === 0 ? { title, width } : { title, width, align: 'right' },
    ),
    rows,
  };
}

/** The VAT breakdown per rate, as receipts and reports both print it. */
function vatTable(
  taxes: { rate: string; net: string; tax: string; gross: string }[],
  currency: string,
  rateTitle: string,
): SlipRow {
  const figure = (value: string) => formatAmount(value, currency, false);
  return figureTable(
    [
      [rateTitle, 25],
      ['Net', 25],
      ['VAT', 25],
      ['Gross', 25],
    ],
    taxes.map((t) => [`${money(t.rate).toString()} %`, figure(t.net), figure(t.tax), figure(t.gross)]),
  );
}

export function receiptRows(db: Database, receiptId: number): { title: string; rows: SlipRow[] } {
  const r = receiptById(db, receiptId);
  if (!r) throw notFound('There is no such receipt.');
  const c = JSON.parse(r.content) as ReceiptContent;
  const zone = deskTimeZone(db);
  const refund = r.kind === 'refund';
  const title = refund ? `Refund receipt ${r.number}` : `Receipt ${r.number}`;
  const rows: SlipRow[] = [
    { kind: 'title', text: r.desk },
    { kind: 'text', text: c.event },
    { kind: 'rule' },
    { kind: 'pair', label: refund ? 'Refund receipt' : 'Receipt', value: `No. ${r.number}`, bold: true },
    { kind: 'pair', label: 'Date', value: when(r.created, zone) },
    { kind: 'pair', label: 'Cashier', value: c.cashier },
    { kind: 'pair', label: 'Order', value: c.orderCode },
    { kind: 'rule' },
    figureTable(
      [
        ['Item', 44],
        ['Qty', 10],
        ['Price', 18],
        ['VAT', 12],
        ['Total', 20],
      ],
      c.lines.map((l) => [
        l.description,
        String(refund ? -l.quantity : l.quantity),
        formatAmount(l.unitPrice, c.currency, false),
        `${money(l.taxRate).toString()} %`,
        formatAmount(refund ? money(l.total).negated() : l.total, c.currency, false),
      ]),
    ),
    { kind: 'rule' },
    {
      kind: 'pair',
      label: refund ? 'Total refunded' : 'Total',
      value: amount(r.total, c.currency),
      bold: true,
    },
    vatTable(c.taxes, c.currency, 'VAT rate'),
    { kind: 'rule' },
    {
      kind: 'pair',
      label: refund ? 'Paid back in' : 'Paid by',
      value: METHOD_NAMES[r.payment_method] ?? r.payment_method,
    },
  ];
  if (r.payment_method === 'cash' && !refund) {
    rows.push({ kind: 'pair', label: 'Given', value: amount(r.given ?? r.total, c.currency) });
    rows.push({ kind: 'pair', label: 'Change', value: amount(r.change ?? '0', c.currency) });
  }
  rows.push({ kind: 'space' }, { kind: 'text', text: 'Thank you!', small: true });
  return { title, rows };
}

/** The X report of an open shift or the Z report of a closed one. */
export function shiftReportRows(db: Database, shift: Shift, now: Date): { title: string; rows: SlipRow[] } {
  const f = reportFigures(db, shift);
  const cur = f.currency;
  const zone = deskTimeZone(db);
  const z = shift.state === 'closed';
  const title = z ? `Z report ${shift.z_number}` : 'X report';
  const rows: SlipRow[] = [
    { kind: 'title', text: shift.desk },
    { kind: 'title', text: z ? `Z report No. ${shift.z_number}` : 'X report (interim, shift still open)' },
    { kind: 'rule' },
    { kind: 'pair', label: 'Opened', value: `${when(shift.opened, zone)}` },
    { kind: 'pair', label: 'Opened by', value: name(db, shift.opened_by) },
  ];
  if (z) {
    rows.push({ kind: 'pair', label: 'Closed', value: when(shift.closed!, zone) });
    rows.push({ kind: 'pair', label: 'Closed by', value: name(db, shift.closed_by) });
  }
  rows.push({
    kind: 'pair',
    label: 'Receipts',
    value: f.firstReceipt === null ? 'none' : `${f.firstReceipt} – ${f.lastReceipt}`,
  });
  rows.push(
    { kind: 'heading', text: 'Sales' },
    { kind: 'pair', label: `Sales (${f.sales.count})`, value: amount(f.sales.total, cur) },
    {
      kind: 'pair',
      label: `Refunds (${f.refunds.count})`,
      value: amount(money(f.refunds.total).negated().toString(), cur),
    },
    { kind: 'pair', label: 'Free tickets (comps)', value: String(f.comps.count) },
    {
      kind: 'pair',
      label: 'Net',
      value: amount(money(f.sales.total).minus(f.refunds.total).toString(), cur),
      bold: true,
    },
    { kind: 'heading', text: 'By payment method' },
    figureTable(
      [
        ['Method', 28],
        ['Sales', 24],
        ['Refunds', 24],
        ['Net', 24],
      ],
      f.byMethod.map((m) => [
        METHOD_NAMES[m.method] ?? m.method,
        formatAmount(m.sales, cur, false),
        formatAmount(m.refunds, cur, false),
        formatAmount(m.net, cur, false),
      ]),
    ),
  );
  if (f.taxes.length) {
    rows.push({ kind: 'heading', text: 'VAT' }, vatTable(f.taxes, cur, 'Rate'));
  }
  rows.push(
    { kind: 'heading', text: 'Cash drawer' },
    { kind: 'pair', label: 'Opening float', value: amount(f.openingFloat, cur) },
    {
      kind: 'pair',
      label: 'Cash sales',
      value: amount(f.byMethod.find((m) => m.method === 'cash')?.sales ?? '0', cur),
    },
    {
      kind: 'pair',
      label: 'Cash refunds',
      value: amount(
        money(f.byMethod.find((m) => m.method === 'cash')?.refunds ?? '0')
          .negated()
          .toString(),
        cur,
      ),
    },
    { kind: 'pair', label: 'Cash in', value: amount(f.cashIn, cur) },
    { kind: 'pair', label: 'Cash out', value: amount(money(f.cashOut).negated().toString(), cur) },
    { kind: 'pair', label: 'Expected in the drawer', value: amount(f.expectedCash, cur), bold: true },
  );
  if (f.movements.length) {
    rows.push(
      figureTable(
        [
          ['Time', 30],
          ['Reason', 45],
          ['Amount', 25],
        ],
        f.movements.map((m) => [
          when(m.at, zone).slice(11),
          m.reason,
          formatAmount(m.kind === 'out' ? money(m.amount).negated() : m.amount, cur, false),
        ]),
      ),
    );
  }
  if (z) {
    const counts = JSON.parse(shift.denominations ?? '{}') as Record<string, number>;
    rows.push(
      { kind: 'heading', text: 'Counted' },
      figureTable(
        [
          ['Note / coin', 40],
          ['Count', 25],
          ['Amount', 35],
        ],
        Object.entries(counts)
          .sort(([a], [b]) => money(b).comparedTo(money(a)))
          .map(([d, n]) => [d, String(n), formatAmount(money(d).times(n), cur, false)]),
      ),
      { kind: 'pair', label: 'Counted', value: amount(shift.counted_cash!, cur), bold: true },
      { kind: 'pair', label: 'Expected', value: amount(shift.expected_cash!, cur) },
      { kind: 'pair', label: 'Difference', value: amount(shift.difference!, cur), bold: true },
    );
    if (shift.comment) rows.push({ kind: 'text', text: `Comment: ${shift.comment}` });
    rows.push(
      { kind: 'rule' },
      { kind: 'text', text: `Journal ${closingHash(db, shift.id) ?? ''}`, small: true },
    );
  } else {
    rows.push(
      { kind: 'rule' },
      {
        kind: 'text',
        text: `Printed ${when(now.toISOString(), zone)}. Journal ${journalHead(db)}`,
        small: true,
      },
    );
  }
  return { title, rows };
}

export function receiptPdf(db: Database, receiptId: number, paper: SlipPaper): Promise<Buffer> {
  const { title, rows } = receiptRows(db, receiptId);
  return renderSlipPdf(title, rows, paper);
}

export function shiftReportPdf(db: Database, shiftId: number, paper: SlipPaper, now: Date): Promise<Buffer> {
  const shift = shiftById(db, shiftId);
  if (!shift) throw notFound('There is no such shift.');
  const { title, rows } = shiftReportRows(db, shift, now);
  return renderSlipPdf(title, rows, paper);
}
