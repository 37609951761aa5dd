import { useState } from 'react';
import { usePick, useT } from '../context';
import { formatDateTime } from '../i18n';
import { formatMoney } from '../money';
import { Needs, Screen, useOneAtATime, type KeyHint } from './common';
import { useConfirm, type ConfirmRequest } from './Confirm';
import type { Translate } from '../context';

/** Denying cancels an order for good: what the desk asks first (Approvals and the order's Deny). */
export function denyQuestion(t: Translate, code: string): ConfirmRequest {
  return {
    title: t('confirm.denyTitle', { code }),
    lines: [t('confirm.denyFinal')],
    choices: [
      { id: 'deny', label: t('confirm.deny'), danger: true },
      { id: 'keep', label: t('confirm.keepWaiting') },
    ],
  };
}

export function ApprovalsScreen() {
  const t = useT();
  const { approvals, decide, locale, can } = usePick('approvals', 'decide', 'locale', 'can');
  const [comments, setComments] = useState<Record<string, string>>({});
  const once = useOneAtATime();
  const [dialog, confirm] = useConfirm();
  /** Denying cancels the order for good: it is asked first. */
  const deny = async (code: string) => {
    if ((await confirm(denyQuestion(t, code))) === 'deny') await decide(code, false, comments[code] ?? '');
  };
  const keys: KeyHint[] = [
    ['Tab', t('approvals.comment')],
    ['Enter', `${t('approvals.approve')} / ${t('approvals.deny')}`],
  ];
  return (
    <Screen name="approvals" keys={keys}>
      {dialog}
      <Needs method="approvals.list">
        {approvals.length === 0 ? <p>{t('approvals.empty')}</p> : null}
        <ol className="queue">
          {approvals.map((a) => (
            <li key={a.code} className="approval" data-testid="approval">
              <div>
                <strong>{a.code}</strong> · {a.eventName} · {formatDateTime(locale, a.datetime)} ·{' '}
                {formatMoney(locale, a.total, a.currency)} {a.email ? `· ${a.email}` : ''}
              </div>
              <ul>
                {a.lines.map((l) => (
                  <li key={l.item}>
                    {l.count} × {l.item}
                  </li>
                ))}
              </ul>
              <input
                placeholder={t('approvals.comment')}
                aria-label={`${t('approvals.comment')} ${a.code}`}
                value={comments[a.code] ?? ''}
                onChange={(e) => setComments({ ...comments, [a.code]: e.target.value })}
              />
              <button
                disabled={!can('approvals.approve')}
                onClick={() => once(() => decide(a.code, true, comments[a.code] ?? ''))}
              >
                {t('approvals.approve')}
              </button>
              <button disabled={!can('approvals.deny')} onClick={() => once(() => deny(a.code))}>
                {t('approvals.deny')}
              </button>
            </li>
          ))}
        </ol>
      </Needs>
    </Screen>
  );
}
