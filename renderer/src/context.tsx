import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Locale } from '../../shared/contract';
import { translate, type MessageKey } from './i18n';
import type { DeskActions, DeskState, DeskStore } from './store';

export const StoreContext = createContext<DeskStore | null>(null);

export function useDesk<T>(selector: (state: DeskState & DeskActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('The desk store is missing.');
  return useStore(store, selector);
}

type Desk = DeskState & DeskActions;

/** Several fields of the desk at once: `const { till, request } = usePick('till', 'request')`. */
export function usePick<K extends keyof Desk>(...keys: K[]): Pick<Desk, K> {
  return useDesk(
    useShallow((state) => {
      const picked = {} as Pick<Desk, K>;
      for (const key of keys) picked[key] = state[key];
      return picked;
    }),
  );
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function useT(): Translate {
  const locale = useDesk((s) => s.locale);
  return (key, params) => translate(locale as Locale, key, params);
}

/** True when keys typed now go into a text field rather than to the screen's shortcuts. */
export function typingInField(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  if (!target) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}
