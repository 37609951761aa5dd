import { z } from 'zod';
import {
  completeDeskSale,
  completedSale,
  givenAnswers,
  missingAtDesk,
  type DeskSaleResult,
} from '../../engine/boxoffice';
import { questionTextOf } from '../../engine/catalog';
import { soldLines } from '../../engine/orders';
import type { EngineContext } from '../../engine/context';
import { EngineError, type FieldErrors } from '../../engine/errors';
import type { PaymentInput, PositionInput, SaleResult } from '../../../shared/contract';
import { readDeskSettings } from '../../engine/preferences';
import { DeskRefusal, sentence, translateMessage } from '../messages';
import { id } from '../inputs';
import { defineMethods, type RpcEnv } from '../registry';
import { queueSaleTickets, saleTickets } from '../tickets';
import { money, moneyText } from '../../engine/money';
import { issueSaleReceipt, receiptsOfOrder } from '../../engine/receipts';
import { printReceiptIfSet } from '../receipt-printing';
import { receiptRef, tillContext } from '../../engine/shifts';
import { deskKey } from '../keyed';

/** A sale id is made by the desk when the sale's cart opens (the cart id) or when quick sell is pressed. */
const saleId = deskKey;
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

function questionName(ctx: EngineContext, questionId: number, locale: string): string {
  const text = questionTextOf(ctx.db, questionId, locale);
  return text === undefined ? `#${questionId}` : `“${text}”`;
}

/**
 * Refuses a sale the engine finds incomplete for a desk (an attendee name the event requires, a
 * required question unanswered), in the cashier's words, naming the ticket and the question.
 */
function checkDeskRequirements(ctx: EngineContext, sale: DeskSaleRequest): void {
  const missing = missingAtDesk(ctx.db, sale);
  if (!missing) return;
  const locale = sale.locale === 'de' ? 'de' : 'en';
  const ticket = `Ticket ${missing.position + 1}`;
  // pretix's body shape for the API-minded: the failing position's field, `{}` for the others.
  const body = (errors: FieldErrors) => ({
    positions: sale.positions.map((_, j) => (j === missing.position ? errors : {})),
  });
  if (missing.field === 'attendee_name') {
    throw new DeskRefusal(
      'required',
      sentence(locale, [ticket, 'attendee_name'], 'This field is required.'),
      body({ attendee_name: ['This field is required.'] }),
    );
  }
  throw new DeskRefusal(
    'required',
    `${ticket}, ${questionName(ctx, missing.questionId, locale)}: ${translateMessage(locale, 'This question is required.')}`,
    body({ answers: [`Question ${missing.questionId}: this question is required.`] }),
  );
}

/** Names a position's answer in a refusal by its question, as the cashier sees it on screen. */
function labelSaleInput(env: RpcEnv, input: unknown, path: readonly (string | number)[]): string | undefined {
  if (path.length !== 4 || path[0] !== 'positions' || path[2] !== 'answers') return undefined;
  const positions = (input as { positions?: PositionInput[] } | null)?.positions;
  const position = Array.isArray(positions) ? positions[Number(path[1])] : undefined;
  if (!position || !Array.isArray(position.answers)) return undefined;
  const answer = givenAnswers(position.answers)[Number(path[3])];
  if (!answer) return undefined;
  const locale = readDeskSettings(env.engine.db).locale;
  return env.engine.read((ctx) => questionName(ctx, answer.questionId, locale));
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
      result = completeDeskSale(ctx, sale);
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
      lines: soldLines(ctx.db, done.orderId, sale.locale),
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
