import { z } from 'zod';
import type { EngineContext } from '../../../engine/context';
import {
  SETUP_KINDS,
  type SetupCreateInput,
  type SetupKind,
  type SetupUpdateInput,
} from '../../../../shared/contract';
import { id } from '../../inputs';
import { defineMethods } from '../../registry';
import { eventSetup } from './events';
import { checkinListSetup } from './checkin-lists';
import { requireEvent, type SetupKindCommands, type SetupTarget } from './setup-kind';
import { itemSetup, variationSetup } from './items';
import { questionOptionSetup, questionSetup } from './questions';
import { quotaSetup } from './quotas';
import { subeventSetup } from './subevents';
import { taxRuleSetup } from './tax-rules';

/**
 * The Setup screen's methods: each kind's typed fields go to the catalog's and check-in's commands, which
 * hold the rules every door shares.
 */
const SETUP: { [K in SetupKind]: SetupKindCommands<K> } = {
  event: eventSetup,
  subevent: subeventSetup,
  item: itemSetup,
  variation: variationSetup,
  quota: quotaSetup,
  question: questionSetup,
  tax_rule: taxRuleSetup,
  checkin_list: checkinListSetup,
  question_option: questionOptionSetup,
};

/** A kind's commands, taking the fields of any kind: the input schema has matched them to `kind`. */
function commandsOf(kind: SetupKind): SetupKindCommands<SetupKind> {
  return SETUP[kind] as SetupKindCommands<SetupKind>;
}

/** One input schema per kind, told apart by `kind`, so that `fields` is read as that kind's. */
function byKind<T>(option: (kind: SetupKind) => z.ZodObject) {
  const [first, ...rest] = SETUP_KINDS.map(option);
  return z.discriminatedUnion('kind', [first!, ...rest]) as unknown as z.ZodType<T>;
}

const createInput = byKind<SetupCreateInput>((kind) =>
  z.object({
    kind: z.literal(kind),
    eventId: id.nullable(),
    parentId: id.nullable(),
    fields: SETUP[kind].fields,
  }),
);

const updateInput = byKind<SetupUpdateInput>((kind) =>
  z.object({
    kind: z.literal(kind),
    eventId: id,
    parentId: id.nullable(),
    id,
    fields: SETUP[kind].changes,
  }),
);

/** Where the command acts, in an event that exists. */
function targetOf(ctx: EngineContext, eventId: number, parentId: number | null): SetupTarget {
  requireEvent(ctx, eventId);
  return { eventId, parentId };
}

export const setupMethods = defineMethods({
  'setup.create': {
    input: createInput,
    run: (env, input) => ({
      id: env.engine.command((ctx) => {
        const { kind, eventId, parentId } = input;
        // A new event is made in none; the desk names the event it shows.
        const target = kind === 'event' ? { eventId: 0, parentId } : targetOf(ctx, eventId ?? 0, parentId);
        return commandsOf(kind).create(ctx, target, input.fields);
      }, env.actor),
    }),
  },
  'setup.update': {
    input: updateInput,
    run(env, input) {
      env.engine.command((ctx) => {
        const target = targetOf(ctx, input.eventId, input.parentId);
        commandsOf(input.kind).update(ctx, target, input.id, input.fields);
      }, env.actor);
      return { id: input.id };
    },
  },
  'setup.delete': {
    input: z.object({
      kind: z.enum(SETUP_KINDS).exclude(['event']),
      eventId: id,
      parentId: id.nullable(),
      id,
    }),
    run(env, input) {
      env.engine.command((ctx) => {
        const target = targetOf(ctx, input.eventId, input.parentId);
        commandsOf(input.kind).remove?.(ctx, target, input.id);
      }, env.actor);
      return { id: input.id };
    },
  },
});
