import { useCallback, useEffect, useState } from 'react';
import { usePick, useT } from '../context';
import { formatDateTime } from '../i18n';
import type { SyncStatusView } from '../../../shared/contract';
import { useConfirm } from './Confirm';
import { Section } from './common';

/** How often the panel looks at the link: an upload that went through shows within seconds. */
const POLL_MS = 3000;

/**
 * The desk's link to its pretix server or hub: connected or not, the last sync, what waits to upload,
 * the places held per quota, and the uploads the server refused, each with its reason and a Retry.
 */
export function SyncPanel() {
  const t = useT();
  const { locale, peek, withManager } = usePick('locale', 'peek', 'withManager');
  const [status, setStatus] = useState<SyncStatusView | null>(null);
  const [dialog, confirm] = useConfirm();

  const refresh = useCallback(async () => {
    try {
      setStatus(await peek('sync.status', {}));
    } catch {
      // A missed look is retried at the next tick.
    }
  }, [peek]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  const when = (iso: string | null) => (iso ? formatDateTime(locale, iso) : t('sync.never'));

  const retry = async (row: SyncStatusView['refused'][number]) => {
    const code = row.orderCode ?? String(row.seq);
    const choice = await confirm({
      title: t('sync.retryTitle', { code }),
      lines: [t('sync.retryReason', { reason: row.reason }), t('sync.retryHint')],
      choices: [
        { id: 'retry', label: t('sync.retry'), danger: true },
        { id: 'keep', label: t('sync.keep') },
      ],
    });
    if (choice !== 'retry') return;
    const after = await withManager('sync.retry', { seq: row.seq }, t('sync.retried', { code }));
    if (after) setStatus(after);
  };

  if (!status) return null;
  return (
    <Section title={t('sync.title')}>
      <div data-testid="sync-status">
        {status.server === null ? (
          <p data-testid="sync-link">{t('sync.none')}</p>
        ) : (
          <>
            <p data-testid="sync-server">
              {t('sync.server', {
                url: status.server.url,
                organizer: status.server.organizer,
                event: status.server.event,
              })}
            </p>
            <p data-testid="sync-link" className={status.reachable === false ? 'warn' : undefined}>
              {status.reachable === null
                ? t('sync.notYet')
                : status.reachable
                  ? t('sync.connected', { when: when(status.lastContact) })
                  : t('sync.unreachable', { when: when(status.unreachableSince) })}
            </p>
            <p data-testid="sync-last">{t('sync.lastSync', { when: when(status.lastSync) })}</p>
            <p data-testid="sync-outbox">
              {t('sync.outbox', { n: status.outbox.pending, refused: status.outbox.refused })}
            </p>
            {status.allotments.length > 0 ? (
              <table data-testid="sync-allotments">
                <thead>
                  <tr>
                    <th>{t('sync.quota')}</th>
                    <th>{t('sync.held')}</th>
                    <th>{t('sync.sold')}</th>
                    <th>{t('sync.uploaded')}</th>
                    <th>{t('sync.free')}</th>
                  </tr>
                </thead>
                <tbody>
                  {status.allotments.map((a) => (
                    <tr key={a.quotaId}>
                      <td>{a.quotaId}</td>
                      <td>{a.held}</td>
                      <td>{a.sold}</td>
                      <td>{a.uploaded}</td>
                      <td>{a.free}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : (
              <p>{t('sync.noAllotments')}</p>
            )}
            {status.refused.length > 0 ? (
              <>
                <h3>{t('sync.refusedTitle')}</h3>
                <table data-testid="sync-refused">
                  <tbody>
                    {status.refused.map((r) => (
                      <tr key={r.seq} data-testid="sync-refused-row">
                        <td>{r.orderCode ?? r.seq}</td>
                        <td>{formatDateTime(locale, r.created)}</td>
                        <td>{r.reason}</td>
                        <td>
                          <button type="button" onClick={() => void retry(r)}>
                            {t('sync.retry')}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            ) : null}
          </>
        )}
      </div>
      {dialog}
    </Section>
  );
}
