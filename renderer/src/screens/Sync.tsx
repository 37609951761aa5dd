import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useDesk, useT } from '../context';
import { formatDateTime } from '../i18n';
import type { RpcInput, RpcMethod, RpcOutput, SyncStatusView } from '../../../shared/contract';
import { useConfirm } from './Confirm';
import { Section, TableHead } from './common';

/** How often the panel looks at the link: an upload that went through shows within seconds. */
const POLL_MS = 3000;

type Allotment = SyncStatusView['allotments'][number];
type Refused = SyncStatusView['refused'][number];

/** One row per quota: the server's quotas in the desk's copy, and any quota the desk holds places of. */
function quotaRows(status: SyncStatusView): Allotment[] {
  const held = new Map(status.allotments.map((a) => [a.quotaId, a]));
  const rows = status.quotas.map(
    (q) => held.get(q.quotaId) ?? { ...q, size: 0, target: 0, held: 0, sold: 0, uploaded: 0, free: 0 },
  );
  for (const a of status.allotments) if (!rows.some((r) => r.quotaId === a.quotaId)) rows.push(a);
  return rows;
}

/**
 * The desk's link to its pretix server or hub. Not connected: a manager connects it with the pairing
 * code of a device created on the server (its setup QR code) or with a team API token. Connected: the
 * link, the last sync, what waits to upload, the places held per quota (with the size a manager sets
 * and a give-back), the uploads the server refused (retry or drop) and the desk's disconnection.
 */
export function SyncPanel() {
  const t = useT();
  const peek = useDesk((s) => s.peek);
  const [status, setStatus] = useState<SyncStatusView | null>(null);

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

  if (!status) return null;
  return (
    <Section title={t('sync.title')}>
      <div data-testid="sync-status">
        {status.server === null ? (
          <ConnectForm onStatus={setStatus} />
        ) : (
          <ConnectedLink status={status} onStatus={setStatus} />
        )}
      </div>
    </Section>
  );
}

/** A manager's action that may need a PIN and answers the new status; one at a time per panel. */
function useManagerAction(onStatus: (s: SyncStatusView) => void) {
  const withManager = useDesk((s) => s.withManager);
  const [pending, setPending] = useState(false);
  const running = useRef(false);
  const act = async <M extends RpcMethod>(
    method: M,
    input: RpcInput<M>,
    okText?: string,
  ): Promise<RpcOutput<M> | null> => {
    if (running.current) return null; // a second press while the first runs changes nothing
    running.current = true;
    setPending(true);
    try {
      const after = await withManager(method, input, okText);
      if (after) onStatus(after as SyncStatusView);
      return after;
    } finally {
      running.current = false;
      setPending(false);
    }
  };
  return { act, pending };
}

function ConnectForm({ onStatus }: { onStatus: (s: SyncStatusView) => void }) {
  const t = useT();
  const { act, pending } = useManagerAction(onStatus);
  const [kind, setKind] = useState<'pairing' | 'token'>('pairing');
  const [url, setUrl] = useState('');
  const [token, setToken] = useState('');
  const [organizer, setOrganizer] = useState('');
  const [event, setEvent] = useState('');
  return (
    <>
      <p data-testid="sync-link">{t('sync.none')}</p>
      <form
        className="sync-connect"
        noValidate
        aria-label={t('sync.connectTitle')}
        data-testid="sync-connect"
        onSubmit={(e) => {
          e.preventDefault();
          void act(
            'sync.connect',
            {
              url,
              kind,
              token,
              event,
              ...(kind === 'token' ? { organizer } : {}),
            },
            t('sync.connectedNow'),
          ).then((after) => {
            if (after) setToken('');
          });
        }}
      >
        <label>
          {t('sync.url')}
          <input
            name="url"
            value={url}
            placeholder={t('sync.urlExample')}
            onChange={(e) => setUrl(e.target.value)}
          />
        </label>
        <label>
          {t('sync.kind')}
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'pairing' | 'token')}>
            <option value="pairing">{t('sync.kindPairing')}</option>
            <option value="token">{t('sync.kindToken')}</option>
          </select>
        </label>
        <label>
          {kind === 'pairing' ? t('sync.pairingCode') : t('sync.apiToken')}
          <input name="token" value={token} autoComplete="off" onChange={(e) => setToken(e.target.value)} />
        </label>
        {kind === 'token' ? (
          <label>
            {t('sync.organizer')}
            <input name="organizer" value={organizer} onChange={(e) => setOrganizer(e.target.value)} />
          </label>
        ) : null}
        <label>
          {t('sync.event')}
          <input name="event" value={event} onChange={(e) => setEvent(e.target.value)} />
        </label>
        <button type="submit" disabled={pending}>
          {pending ? t('sync.connecting') : t('sync.connect')}
        </button>
      </form>
      <p className="hint">{kind === 'pairing' ? t('sync.pairingHint') : t('sync.tokenHint')}</p>
    </>
  );
}

function ConnectedLink({
  status,
  onStatus,
}: {
  status: SyncStatusView;
  onStatus: (s: SyncStatusView) => void;
}) {
  const t = useT();
  const locale = useDesk((s) => s.locale);
  const [dialog, confirm] = useConfirm();
  const { act, pending } = useManagerAction(onStatus);
  const server = status.server!;
  const when = (iso: string | null) => (iso ? formatDateTime(locale, iso) : t('sync.never'));
  const rows = quotaRows(status);
  const heldPlaces = status.allotments.reduce((n, a) => n + a.held - a.uploaded, 0);

  const retry = async (row: Refused) => {
    const code = row.orderCode ?? String(row.seq);
    const choice = await confirm({
      title: t('sync.retryTitle', { code }),
      lines: [t('sync.retryReason', { reason: row.reason }), t('sync.retryHint')],
      choices: [
        { id: 'retry', label: t('sync.retry'), danger: true },
        { id: 'keep', label: t('sync.keep') },
      ],
    });
    if (choice === 'retry') await act('sync.retry', { seq: row.seq }, t('sync.retried', { code }));
  };

  const drop = async (row: Refused) => {
    const code = row.orderCode ?? String(row.seq);
    const choice = await confirm({
      title: t('sync.dropTitle', { code }),
      lines: [t('sync.retryReason', { reason: row.reason }), t('sync.dropTill'), t('sync.dropServer')],
      choices: [
        { id: 'drop', label: t('sync.drop'), danger: true },
        { id: 'keep', label: t('sync.keep') },
      ],
    });
    if (choice === 'drop') await act('sync.drop', { seq: row.seq }, t('sync.dropped', { code }));
  };

  const giveBack = async (a: Allotment) => {
    const choice = await confirm({
      title: t('sync.giveBackTitle', { quota: a.name }),
      lines: [t('sync.giveBackLines', { free: a.free, sold: a.sold }), t('sync.giveBackAfter')],
      choices: [
        { id: 'give', label: t('sync.giveBack'), danger: true },
        { id: 'keep', label: t('sync.keepHeld') },
      ],
    });
    if (choice === 'give')
      await act('sync.allotment', { quotaId: a.quotaId, size: 0 }, t('sync.givenBack', { quota: a.name }));
  };

  const disconnect = async () => {
    const choice = await confirm({
      title: t('sync.disconnectTitle', { url: server.url }),
      lines: [
        t('sync.disconnectLines', {
          uploads: status.outbox.pending + status.outbox.refused,
          places: heldPlaces,
        }),
        t('sync.disconnectAfter'),
      ],
      choices: [
        { id: 'disconnect', label: t('sync.disconnect'), danger: true },
        { id: 'keep', label: t('sync.stayConnected') },
      ],
    });
    if (choice === 'disconnect') await act('sync.disconnect', {}, t('sync.disconnected'));
  };

  return (
    <>
      <p data-testid="sync-server">
        {t('sync.server', { url: server.url, organizer: server.organizer, event: server.eventName })}
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
      {rows.length > 0 ? (
        <table data-testid="sync-allotments">
          <TableHead
            columns={[
              'sync.quota',
              'sync.quotaEvent',
              'sync.held',
              'sync.sold',
              'sync.uploaded',
              'sync.free',
              'sync.size',
              null,
            ]}
          />
          <tbody>
            {rows.map((a) => (
              <tr key={a.quotaId} data-testid="sync-quota">
                <td>{a.name}</td>
                <td>{a.event}</td>
                <td>{a.held}</td>
                <td>{a.sold}</td>
                <td>{a.uploaded}</td>
                <td>{a.free}</td>
                <td>
                  <SizeForm
                    allotment={a}
                    pending={pending}
                    onSave={(size) =>
                      act(
                        'sync.allotment',
                        { quotaId: a.quotaId, size },
                        t('sync.sizeSaved', { quota: a.name, size }),
                      )
                    }
                  />
                </td>
                <td>
                  {a.held > a.sold ? (
                    <button type="button" disabled={pending} onClick={() => void giveBack(a)}>
                      {t('sync.giveBack')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t('sync.noAllotments')}</p>
      )}
      <UploadList
        name="refused"
        title={t('sync.refusedTitle')}
        rows={status.refused.map((r) => ({ ...r, at: r.created }))}
        actions={(r) => (
          <>
            <button type="button" data-action="retry" disabled={pending} onClick={() => void retry(r)}>
              {t('sync.retry')}
            </button>
            <button type="button" data-action="drop" disabled={pending} onClick={() => void drop(r)}>
              {t('sync.drop')}
            </button>
          </>
        )}
      />
      <UploadList
        name="dropped"
        title={t('sync.droppedTitle')}
        rows={status.dropped.map((r) => ({ ...r, at: r.dropped }))}
      />
      <p>
        <button
          type="button"
          data-testid="sync-disconnect"
          disabled={pending}
          onClick={() => void disconnect()}
        >
          {t('sync.disconnect')}
        </button>
      </p>
      {dialog}
    </>
  );
}

/** Uploads the server refused, or a manager dropped: order code, when, the server's reason. */
function UploadList<R extends { seq: number; orderCode: string | null; reason: string; at: string }>({
  name,
  title,
  rows,
  actions,
}: {
  name: 'refused' | 'dropped';
  title: string;
  rows: R[];
  actions?: (row: R) => ReactNode;
}) {
  const locale = useDesk((s) => s.locale);
  if (rows.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <table data-testid={`sync-${name}`}>
        <tbody>
          {rows.map((r) => (
            <tr key={r.seq} data-testid={`sync-${name}-row`}>
              <td>{r.orderCode ?? r.seq}</td>
              <td>{formatDateTime(locale, r.at)}</td>
              <td>{r.reason}</td>
              {actions ? <td>{actions(r)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The allotment size of one quota: Enter or Hold saves it. */
function SizeForm({
  allotment,
  pending,
  onSave,
}: {
  allotment: Allotment;
  pending: boolean;
  onSave: (size: number) => Promise<unknown>;
}) {
  const t = useT();
  const [size, setSize] = useState(String(allotment.size));
  const [wrong, setWrong] = useState(false);
  useEffect(() => setSize(String(allotment.size)), [allotment.size]);
  return (
    <form
      className="row"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const places = Number(size.trim());
        const whole = /^\d+$/.test(size.trim()) && places <= 100_000;
        setWrong(!whole);
        if (whole) void onSave(places);
      }}
    >
      <input
        type="number"
        min={0}
        step={1}
        className="sync-size"
        aria-label={t('sync.sizeOf', { quota: allotment.name })}
        value={size}
        onChange={(e) => setSize(e.target.value)}
      />
      <button type="submit" disabled={pending}>
        {t('sync.hold')}
      </button>
      {wrong ? <span className="warn">{t('sync.sizeInvalid')}</span> : null}
    </form>
  );
}
