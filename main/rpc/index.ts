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
  };
  const served = Object.keys(table) as RpcMethod[];
  const info = settingsMethods['app.info']!;
  table['app.info'] = {
    input: info.input,
    run: async (env, input) => ({ ...(await info.run(env, input)), methods: served }),
  };
  return table;
}

export function createDeskRpc(env: RpcEnv) {
  return createDispatcher(env, deskMethodTable());
}

export type { RpcEnv } from './registry';
