import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { EngineContext } from '../../engine/context';
import { notFound } from '../../engine/errors';
import { eventTimeZone, loadOrder, orderStateActions } from '../../engine/orders';
import {
  cancelPayment,
  confirmPayment,
  createPayment,
  refundPayment,
  type Outcome,
  cancelRefund,
  createRefund,
  processRefund,
  refundDone,
  paymentsOfOrder,
  refundsOfOrder,
} from '../../engine/payments';
import { bodyObject, denyBody, extendBody, markCanceledBody } from '../schemas/orders';
import {
  paymentConfirmBody,
  paymentCreateBody,
  paymentRefundBody,
  refundCreateBody,
  refundProcessBody,
} from '../schemas/payments';
import { actorOf, requireEvent, type ApiDeps } from '../context';
import { paginateList } from '../pagination';
import { requestBaseUrl } from '../resources/order';
import { renderPayment, renderRefund } from '../resources/payment';
import { pathId } from '../schemas/request';
import { eventOrderResource, orderInPath } from './order-common';

function localIdParam(req: FastifyRequest, key: string): number {
  return pathId(req, key, 9);
}

/**
 * The order state actions (`mark_paid`, …, `deny`), which answer with the full order resource, and the
 * payment and refund endpoints of an order, looked up by their per-order `local_id`.
 */
export function orderActionRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const { engine } = deps;
  const base = '/api/v1/organizers/:organizer/events/:event/orders/:code';

  const paymentLink = (req: FastifyRequest, orderId: number) => {
    const order = loadOrder(engine.db, orderId);
    if (!order) throw notFound();
    return {
      baseUrl: requestBaseUrl(req),
      organizerSlug: order.organizerSlug,
      eventSlug: order.eventSlug,
      orderCode: order.code,
      orderSecret: order.secret,
    };
  };

  const paymentResource = (req: FastifyRequest, orderId: number, localId: number) => {
    const [payment] = paymentsOfOrder(engine.db, orderId, localId);
    if (!payment) throw notFound();
    return renderPayment(payment, paymentLink(req, orderId));
  };

  const refundResource = (orderId: number, localId: number) => {
    const [refund] = refundsOfOrder(engine.db, orderId, localId);
    if (!refund) throw notFound();
    return renderRefund(refund);
  };

  /** Runs a command whose pretix counterpart commits before answering with an error. */
  const commandWithOutcome = <T>(req: FastifyRequest, fn: (ctx: EngineContext) => Outcome<T>): T => {
    const outcome = engine.command(fn, actorOf(req));
    if (outcome.error) throw outcome.error;
    return outcome.result;
  };

  const action = (name: string, run: (ctx: EngineContext, orderId: number, body: unknown) => void) => {
    app.post(`${base}/${name}/`, async (req) => {
      const { orderId, eventId } = orderInPath(engine, req);
      engine.command((ctx) => run(ctx, orderId, req.body), actorOf(req));
      return eventOrderResource(engine, req, orderId, eventId);
    });
  };

  app.post(`${base}/mark_paid/`, async (req) => {
    const { orderId, eventId } = orderInPath(engine, req);
    bodyObject(req.body);
    commandWithOutcome(req, (ctx) => orderStateActions.mark_paid(ctx, { orderId }));
    return eventOrderResource(engine, req, orderId, eventId);
  });
  for (const name of ['mark_pending', 'mark_expired', 'mark_refunded', 'reactivate', 'approve'] as const) {
    action(name, (ctx, orderId) => orderStateActions[name](ctx, { orderId }));
  }
  action('mark_canceled', (ctx, orderId, body) =>
    orderStateActions.mark_canceled(ctx, { orderId, ...markCanceledBody(body) }),
  );
  action('deny', (ctx, orderId, body) => orderStateActions.deny(ctx, { orderId, ...denyBody(body) }));
  app.post(`${base}/extend/`, async (req) => {
    requireEvent(engine, req);
    const input = extendBody(req.body);
    const { orderId, eventId } = orderInPath(engine, req);
    engine.command((ctx) => orderStateActions.extend(ctx, { orderId, ...input }), actorOf(req));
    return eventOrderResource(engine, req, orderId, eventId);
  });

  // Payments
  app.get(`${base}/payments/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    return engine.read(() => {
      const link = paymentLink(req, orderId);
      return paginateList(
        req,
        paymentsOfOrder(engine.db, orderId).map((p) => renderPayment(p, link)),
      );
    });
  });

  app.get(`${base}/payments/:localId/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    return paymentResource(req, orderId, localIdParam(req, 'localId'));
  });

  app.post(`${base}/payments/`, async (req, reply) => {
    const { orderId, eventId } = orderInPath(engine, req);
    const input = paymentCreateBody(req.body, eventTimeZone(engine.db, eventId));
    const payment = engine.command((ctx) => createPayment(ctx, { orderId, ...input }), actorOf(req));
    reply.status(201);
    return paymentResource(req, orderId, payment.local_id);
  });

  app.post(`${base}/payments/:localId/confirm/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    const localId = localIdParam(req, 'localId');
    const input = paymentConfirmBody(req.body);
    commandWithOutcome(req, (ctx) => confirmPayment(ctx, { orderId, localId, ...input }));
    return paymentResource(req, orderId, localId);
  });

  app.post(`${base}/payments/:localId/cancel/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    const localId = localIdParam(req, 'localId');
    engine.command((ctx) => cancelPayment(ctx, { orderId, localId }), actorOf(req));
    return paymentResource(req, orderId, localId);
  });

  app.post(`${base}/payments/:localId/refund/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    const localId = localIdParam(req, 'localId');
    const body = bodyObject(req.body);
    if (paymentsOfOrder(engine.db, orderId, localId).length === 0) throw notFound();
    const input = paymentRefundBody(body);
    const { refundLocalId } = engine.command(
      (ctx) => refundPayment(ctx, { orderId, localId, ...input }),
      actorOf(req),
    );
    return refundResource(orderId, refundLocalId);
  });

  // Refunds
  app.get(`${base}/refunds/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    return engine.read(() => paginateList(req, refundsOfOrder(engine.db, orderId).map(renderRefund)));
  });

  app.get(`${base}/refunds/:localId/`, async (req) => {
    const { orderId } = orderInPath(engine, req);
    return refundResource(orderId, localIdParam(req, 'localId'));
  });

  app.post(`${base}/refunds/`, async (req, reply) => {
    const { orderId, eventId } = orderInPath(engine, req);
    const input = refundCreateBody(req.body, eventTimeZone(engine.db, eventId));
    const refund = engine.command((ctx) => createRefund(ctx, { orderId, ...input }), actorOf(req));
    reply.status(201);
    return refundResource(orderId, refund.local_id);
  });

  const refundAction = (
    name: string,
    run: (ctx: EngineContext, orderId: number, localId: number, body: unknown) => void,
  ) => {
    app.post(`${base}/refunds/:localId/${name}/`, async (req) => {
      const { orderId } = orderInPath(engine, req);
      const localId = localIdParam(req, 'localId');
      engine.command((ctx) => run(ctx, orderId, localId, req.body), actorOf(req));
      return refundResource(orderId, localId);
    });
  };
  refundAction('done', (ctx, orderId, localId) => refundDone(ctx, { orderId, localId }));
  refundAction('process', (ctx, orderId, localId, body) =>
    processRefund(ctx, { orderId, localId, ...refundProcessBody(body) }),
  );
  refundAction('cancel', (ctx, orderId, localId) => cancelRefund(ctx, { orderId, localId }));
}
