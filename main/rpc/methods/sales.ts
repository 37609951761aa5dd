import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import { completeDeskSale, completedSale, type DeskSaleResult } from '../../engine/boxoffice/sale';
import { eventSettings } from '../../engine/catalog/settings';
import type { EngineContext } from '../../engine/context';
import { EngineError, type FieldErrors } from '../../engine/errors';
import type { PaymentInput, PositionInput, SaleResult } from '../../../shared/contract';
import { readDeskSettings } from '../desk-settings';
import { DeskRefusal, sentence, translateMessage } from '../messages';
import { localized } from '../queries';
import { defineMethods, type RpcEnv } from '../registry';
import { queueSaleTickets, saleTickets } from '../tickets';
import { money, moneyText } from '../../engine/money';
import { issueSaleReceipt, receiptsOfOrder } from '../../engine/receipts/receipts';
import { printReceiptIfSet } from '../receipt-printing';
import { receiptRef, tillContext } from '../till';

const id = z.number().int().positive();
const CHOICE_TYPES = new Set(['C', 'M']);

/** A sale id is made by the desk when the sale's cart opens (the cart id) or when quick sell is pressed. */
const saleId = z
  .string()
  .regex(/^[A-Za-z0-9@._-]{8,100}$/, 'A sale id is 8 to 100 letters, digits and @ . _ -.');
const amount = z.string().trim().max(20);

const positionInput = z.object({
  itemId: id,
  variationId: id.nullable(),
  attendeeName: z.string().trim().max(255).nullable(),
  answers: z.array(z.object({ questionId: id, answer: z.string().max(10_000) })).max(100),
  price: amount.nullable().optional(),
});

const paymentInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash'), given: amount }),
  z.object({ method: z.literal('card') }),
  z.object({ method: z.literal('other') }),
  z.object({ method: z.literal('free') }),
]);

/** A sale as the desk sends it, before its answers are put in pretix's shape. */
interface DeskSaleRequest {
  saleId: string;
  cartId: string | null;
  eventId: number;
  subeventId: number | null;
  positions: PositionInput[];
  email: string | null;
  payment: PaymentInput;
  priceReason: string | null;
  locale: string;
}

/** The answers the desk sends for a position: blank ones are not answers. */
function givenAnswers(p: PositionInput): PositionInput['answers'] {
  return p.answers.filter((a) => a.answer.trim() !== '');
}

function questionName(ctx: EngineContext, questionId: number, locale: string): string {
  const row = ctx.db.prepare('SELECT question FROM questions WHERE id = ?').get(questionId) as
    { question: string } | undefined;
  return row ? `“${localized(row.question, locale)}”` : `#${questionId}`;
}

/**
 * What the desk demands before a sale, beyond what pretix's API checks: required questions of each
 * item answered (a required yes/no question means yes, as in pretix's forms), and attendee names where
 * the event requires them. File questions cannot be answered at a desk; they stay for the customer.
 */
function checkDeskRequirements(ctx: EngineContext, sale: DeskSaleRequest): void {
  const settings = eventSettings(ctx.db, sale.eventId);
  const locale = sale.locale === 'de' ? 'de' : 'en';
  const required = ctx.db.prepare(
    `SELECT q.id, q.type FROM questions q JOIN question_items qi ON qi.question_id = q.id
     WHERE qi.item_id = ? AND q.required = 1 AND q.hidden = 0 AND q.type != 'F'
     ORDER BY q.position, q.id`,
  );
  // pretix's body shape for the API-minded: the failing position's field, `{}` for the others.
  const body = (i: number, errors: FieldErrors) => ({
    positions: sale.positions.map((_, j) => (j === i ? errors : {})),
  });
  sale.positions.forEach((p, i) => {
    const ticket = `Ticket ${i + 1}`;
    if (settings.attendee_names_asked && settings.attendee_names_required && !p.attendeeName) {
      throw new DeskRefusal(
        'required',
        sentence(locale, [ticket, 'attendee_name'], 'This field is required.'),
        body(i, { attendee_name: ['This field is required.'] }),
      );
    }
    const answers = new Map(givenAnswers(p).map((a) => [a.questionId, a.answer.trim()]));
    for (const q of required.all(p.itemId) as { id: number; type: string }[]) {
      const answer = answers.get(q.id);
      if (answer === undefined || (q.type === 'B' && answer !== 'True')) {
        throw new DeskRefusal(
          'required',
          `${ticket}, ${questionName(ctx, q.id, locale)}: ${translateMessage(locale, 'This question is required.')}`,
          body(i, { answers: [`Question ${q.id}: this question is required.`] }),
        );
      }
    }
  });
}

/**
 * The answers in pretix's body: choice answers name their options by id and carry the options' text
 * as the answer (pretix's serializer wants a non-blank answer and replaces it with the options').
 */
function answerBody(ctx: EngineContext, answers: PositionInput['answers']): Record<string, unknown>[] {
  const typeOf = ctx.db.prepare('SELECT type FROM questions WHERE id = ?');
  const optionText = ctx.db.prepare('SELECT answer FROM question_options WHERE id = ? AND question_id = ?');
  return answers
    .filter((a) => a.answer.trim() !== '')
    .map((a) => {
      const row = typeOf.get(a.questionId) as { type: string } | undefined;
      if (row && CHOICE_TYPES.has(row.type)) {
        const options = a.answer
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean)
          .map(Number);
        const text = options
          .map((o) => (optionText.get(o, a.questionId) as { answer: string } | undefined)?.answer)
          .map((t) => localized(t))
          .filter(Boolean)
          .join(', ');
        return { question: a.questionId, answer: text || a.answer, options };
      }
      return { question: a.questionId, answer: a.answer.trim() };
    });
}

/** Names a position's answer in a refusal by its question, as the cashier sees it on screen. */
function labelSaleInput(env: RpcEnv, input: unknown, path: readonly (string | number)[]): string | undefined {
  if (path.length !== 4 || path[0] !== 'positions' || path[2] !== 'answers') return undefined;
  const positions = (input as { positions?: PositionInput[] } | null)?.positions;
  const position = Array.isArray(positions) ? positions[Number(path[1])] : undefined;
  if (!position || !Array.isArray(position.answers)) return undefined;
  const answer = givenAnswers(position)[Number(path[3])];
  if (!answer) return undefined;
  const locale = readDeskSettings(env.engine.db).locale;
  return env.engine.read((ctx) => questionName(ctx, answer.questionId, locale));
}

/** The order's tickets as sold: name and price of each live position. */
function saleLines(db: Database, orderId: number, locale: string): SaleResult['lines'] {
  const rows = db
    .prepare(
      `SELECT i.name AS item, v.value AS variation, op.price FROM order_positions op
       JOIN items i ON i.id = op.item_id LEFT JOIN item_variations v ON v.id = op.variation_id
       WHERE op.order_id = ? AND op.canceled = 0 ORDER BY op.positionid`,
    )
    .all(orderId) as { item: string; variation: string | null; price: string }[];
  return rows.map((r) => ({
    name: r.variation
      ? `${localized(r.item, locale)} – ${localized(r.variation, locale)}`
      : localized(r.item, locale),
    price: r.price,
  }));
}

/**
 * Completes the sale in one engine command, idempotent on its id: a sale already completed answers with
 * its order before any check runs. Its tickets are queued on the tickets printer in the same command
 * where one is set up; else they are rendered for the desk to print.
 */
async function completeAndPrint(env: RpcEnv, sale: DeskSaleRequest): Promise<SaleResult> {
  const placed = env.engine.command((ctx) => {
    let result = completedSale(ctx, sale.saleId);
    let receipt = result
      ? (receiptsOfOrder(ctx.db, result.orderId).find((r) => r.kind === 'sale') ?? null)
      : null;
    if (!result) {
      // A desk sells only into an open shift, by a signed-in cashier (the REST API is not a desk).
      const till = tillContext(ctx);
      checkDeskRequirements(ctx, sale);
      result = completeDeskSale(ctx, {
        ...sale,
        positions: sale.positions.map((p) => ({ ...p, answers: answerBody(ctx, p.answers) })),
      });
      receipt = issueSaleReceipt(ctx, {
        shift: till.shift,
        cashier: till.cashier,
        orderId: result.orderId,
        method: sale.payment.method,
        given: result.change === null ? null : moneyText(money(result.total).plus(result.change)),
        change: result.change,
      });
    }
    const done: DeskSaleResult = result;
    return queueSaleTickets(ctx, {
      ...done,
      lines: saleLines(ctx.db, done.orderId, sale.locale),
      receipt: receipt ? receiptRef(receipt) : null,
    });
  }, env.actor);
  await printReceiptIfSet(env, placed.receipt?.id);
  return {
    orderCode: placed.orderCode,
    status: placed.status,
    total: placed.total,
    change: placed.change,
    lines: placed.lines,
    receipt: placed.receipt,
    ...(await saleTickets(env, placed)),
  };
}

export const salesMethods = defineMethods({
  'sale.complete': {
    input: z.object({
      saleId: saleId.optional(),
      cartId: z.string().min(1).max(255),
      eventId: id,
      subeventId: id.nullable(),
      positions: z.array(positionInput).min(1).max(100),
      email: z.email().nullable(),
      payment: paymentInput,
      priceReason: z.string().trim().max(200).nullable().optional(),
    }),
    async run(env, input) {
      const locale = readDeskSettings(env.engine.db).locale;
      return completeAndPrint(env, {
        ...input,
        saleId: input.saleId ?? input.cartId,
        priceReason: input.priceReason ?? null,
        locale,
      });
    },
    label: labelSaleInput,
  },
  'sale.quickSell': {
    input: z.object({ saleId, eventId: id, subeventId: id.nullable() }),
    async run(env, input) {
      const settings = readDeskSettings(env.engine.db);
      const pinned = settings.quickSell;
      if (!pinned || pinned.eventId !== input.eventId) {
        const message = pinned
          ? `The quick-sell item "${pinned.name}" belongs to another event. Pin an item of this event in Settings › Quick-sell item.`
          : 'No item is pinned for quick sell. Pin one in Settings › Quick-sell item.';
        throw new EngineError('no_quick_sell', message, { kind: 'conflict' });
      }
      return completeAndPrint(env, {
        saleId: input.saleId,
        cartId: null,
        eventId: input.eventId,
        // The date on screen: a pinned item of a series sells for the date the cashier is selling.
        subeventId: input.subeventId,
        positions: [
          { itemId: pinned.itemId, variationId: pinned.variationId, attendeeName: null, answers: [] },
        ],
        email: null,
        payment: { method: 'cash', given: '' },
        priceReason: null,
        locale: settings.locale,
      });
    },
  },
});
