import { z } from 'zod';
import type { EngineContext } from '../../engine/context';
import { eventSettings } from '../../engine/catalog/settings';
import { EngineError, invalidFields, refused, type FieldErrors } from '../../engine/errors';
import { money, moneyText, parseMoney } from '../../engine/money';
import { createOrder } from '../../engine/orders/create';
import type { PaymentInput, PositionInput, SaleResult } from '../../../shared/contract';
import { readDeskSettings } from '../desk-settings';
import { DeskRefusal, sentence, translateMessage } from '../messages';
import { localized } from '../queries';
import { defineMethods, type RpcEnv } from '../registry';
import { ticketPdfFor } from '../tickets';

const id = z.number().int().positive();
const CHOICE_TYPES = new Set(['C', 'M']);

const positionInput = z.object({
  itemId: id,
  variationId: id.nullable(),
  attendeeName: z.string().trim().max(255).nullable(),
  answers: z.array(z.object({ questionId: id, answer: z.string().max(10_000) })).max(100),
});

const paymentInput = z.discriminatedUnion('method', [
  z.object({ method: z.literal('cash'), given: z.string().max(20) }),
  z.object({ method: z.literal('card') }),
  z.object({ method: z.literal('free') }),
]);

interface SaleRequest {
  cartId: string | null;
  eventId: number;
  subeventId: number | null;
  positions: PositionInput[];
  email: string | null;
  payment: PaymentInput;
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
function checkDeskRequirements(ctx: EngineContext, sale: SaleRequest): void {
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

/** Places one paid box-office order (pretix's `pretixpos` channel, `boxoffice` provider) in one command. */
function placeSale(
  ctx: EngineContext,
  sale: SaleRequest,
): { result: Omit<SaleResult, 'ticketPdf'>; orderId: number } {
  if (sale.positions.length === 0) throw refused('empty_cart', 'The cart is empty.');
  checkDeskRequirements(ctx, sale);
  const provider = sale.payment.method === 'free' ? 'free' : 'boxoffice';
  const body: Record<string, unknown> = {
    status: 'p',
    sales_channel: 'pretixpos',
    email: sale.email,
    locale: sale.locale,
    payment_provider: provider,
    payment_info: sale.payment.method === 'free' ? {} : { payment_type: sale.payment.method },
    positions: sale.positions.map((p) => ({
      item: p.itemId,
      variation: p.variationId,
      subevent: sale.subeventId,
      attendee_name: p.attendeeName,
      answers: answerBody(ctx, p.answers),
    })),
  };
  if (sale.cartId) body.consume_carts = [sale.cartId];
  const { orderId, order } = createOrder(ctx, { eventId: sale.eventId, body });
  let change: string | null = null;
  if (sale.payment.method === 'cash') {
    const given =
      sale.payment.given.trim() === ''
        ? money(order.total)
        : parseMoney(sale.payment.given.replace(',', '.'));
    if (!given) throw invalidFields('invalid_amount', { given: ['A valid number is required.'] });
    if (given.lt(order.total)) {
      throw invalidFields('short_payment', {
        given: [`The amount given is less than the total of ${order.total}.`],
      });
    }
    change = moneyText(given.minus(order.total));
    ctx.db
      .prepare('UPDATE order_payments SET info = ? WHERE order_id = ? AND local_id = 1')
      .run(JSON.stringify({ payment_type: 'cash', given: moneyText(given), change }), orderId);
  }
  return {
    orderId,
    result: {
      orderCode: order.code,
      status: order.status as SaleResult['status'],
      total: order.total,
      change,
    },
  };
}

async function withTickets(
  env: RpcEnv,
  placed: { result: Omit<SaleResult, 'ticketPdf'>; orderId: number },
): Promise<SaleResult> {
  return { ...placed.result, ticketPdf: await ticketPdfFor(env, placed.orderId) };
}

export const salesMethods = defineMethods({
  'sale.complete': {
    input: z.object({
      cartId: z.string().min(1).max(255),
      eventId: id,
      subeventId: id.nullable(),
      positions: z.array(positionInput).min(1).max(100),
      email: z.email().nullable(),
      payment: paymentInput,
    }),
    async run(env, input) {
      const locale = readDeskSettings(env.engine.db).locale;
      const placed = env.engine.command((ctx) => placeSale(ctx, { ...input, locale }), env.actor);
      return withTickets(env, placed);
    },
    label: labelSaleInput,
  },
  'sale.quickSell': {
    input: z.object({}).strict(),
    async run(env) {
      const settings = readDeskSettings(env.engine.db);
      const pinned = settings.quickSell;
      if (!pinned)
        throw new EngineError('no_quick_sell', 'No item is pinned for quick sell.', { status: 409 });
      const placed = env.engine.command(
        (ctx) =>
          placeSale(ctx, {
            cartId: null,
            eventId: pinned.eventId,
            subeventId: pinned.subeventId ?? null,
            positions: [
              { itemId: pinned.itemId, variationId: pinned.variationId, attendeeName: null, answers: [] },
            ],
            email: null,
            payment: { method: 'cash', given: '' },
            locale: settings.locale,
          }),
        env.actor,
      );
      return withTickets(env, placed);
    },
  },
});
