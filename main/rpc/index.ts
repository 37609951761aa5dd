import type { RpcMethod } from '../../shared/contract';
import { cartMethods } from './methods/cart';
import { checkinMethods } from './methods/checkin';
import { deviceMethods } from './methods/devices';
import { lifecycleMethods } from './methods/lifecycle';
import { readMethods } from './methods/reads';
import { printingMethods } from './methods/printing';
import { salesMethods } from './methods/sales';
import { settingsMethods } from './methods/settings';
import { setupMethods } from './methods/setup';
import { syncMethods } from './methods/sync';
import { tillMethods } from './methods/till';
import { signedInCashier } from '../engine/cashiers';
import { deskName } from '../engine/preferences';
import { createDispatcher, type MethodTable, type RpcEnv } from './registry';

/** Every desk method this build serves. Methods whose engine commands are not part of it are absent. */
export function deskMethodTable(): MethodTable {
  const table: MethodTable = {
    ...settingsMethods,
    ...readMethods,
    ...salesMethods,
    ...setupMethods,
    ...cartMethods,
    ...lifecycleMethods,
    ...checkinMethods,
    ...deviceMethods,
    ...printingMethods,
    ...tillMethods,
    ...syncMethods,
  };
  const served = Object.keys(table) as RpcMethod[];
  const info = settingsMethods['app.info']!;
  table['app.info'] = {
    input: info.input,
    run: async (env, input) => ({ ...(await info.run(env, input)), methods: served }),
  };
  return table;
}

/**
 * The audit log names the cashier signed in at this desk ("Anna at Box office 1"); before anyone signs
 * in it names the process's actor.
 */
export function withCashierActor(env: RpcEnv): RpcEnv {
  const base = env.actor;
  return Object.create(env, {
    actor: {
      get(): string {
        const desk = deskName(env.engine.db);
        const cashier = signedInCashier(env.engine.db, desk);
        return cashier ? `${cashier.name} at ${desk}` : base;
      },
    },
  }) as RpcEnv;
}

export function createDeskRpc(env: RpcEnv) {
  return createDispatcher(withCashierActor(env), deskMethodTable());
}

export type { RpcEnv } from './registry';
