import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { useDesk, useT } from '../context';
import type { MessageKey } from '../i18n';
import type { PrinterSettings, PrinterView, PrintJobView, PrintQueueView } from '../../../shared/contract';
import { Section, Toggle } from './common';

/** How often the desk looks at the print queue: a printer running out of paper shows within seconds. */
const POLL_MS = 1500;

/** The print queue as the desk last saw it, refreshed while the component is on screen. */
export function usePrintQueue(): [PrintQueueView | null, () => Promise<void>] {
  const can = useDesk((s) => s.can('printing.queue'));
  const peek = useDesk((s) => s.peek);
  const [view, setView] = useState<PrintQueueView | null>(null);
  const refresh = useCallback(async () => {
    if (!can) return;
    try {
      setView(await peek('printing.queue', {}));
    } catch {
      // A missed look is retried at the next tick.
    }
  }, [can, peek]);
  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [refresh]);
  return [view, refresh];
}

/** On every screen: a printer that cannot print, and jobs that need the cashier, in words. */
export function PrinterBanner() {
  const t = useT();
  const go = useDesk((s) => s.go);
  const [view] = usePrintQueue();
  if (!view) return null;
  const held = view.printers.filter((p) => p.state === 'held');
  const failed = view.jobs.filter((j) => j.state === 'failed');
  if (held.length === 0 && failed.length === 0) return null;
  return (
    <div
      className="notice error printer-banner"
      role="alert"
      data-testid="printer-banner"
      onClick={() => go('settings')}
    >
      {held.map((p) => (
        <p key={`p${p.id}`}>{t('printing.held', { reason: p.stateReason ?? p.name })}</p>
      ))}
      {failed.map((j) => (
        <p key={`j${j.id}`}>
          {j.title}: {j.reason}
        </p>
      ))}
    </div>
  );
}

const EMPTY: PrinterSettings = {
  name: '',
  role: 'tickets',
  connection: 'tcp',
  address: '',
  protocol: 'fgl',
  dpi: 203,
  paper: 'thermal-2x5.5in',
  printWidthMm: 139.7,
  enabled: true,
};

/** Sensible values when the cashier picks a language: a Boca prints 2 x 5.5 in, an Epson 80 mm. */
function withProtocol(p: PrinterSettings, protocol: PrinterSettings['protocol']): PrinterSettings {
  if (protocol === 'fgl') return { ...p, protocol, dpi: 203, paper: 'thermal-2x5.5in', printWidthMm: 139.7 };
  if (protocol === 'escpos') return { ...p, protocol, dpi: 203, paper: '80mm', printWidthMm: 72 };
  return { ...p, protocol, connection: 'system', dpi: 300, paper: 'a4', printWidthMm: 210 };
}

function PrinterForm({
  initial,
  onSave,
  onClose,
}: {
  initial: PrinterSettings;
  onSave: (p: PrinterSettings) => Promise<boolean>;
  onClose: () => void;
}) {
  const t = useT();
  const [p, setP] = useState(initial);
  const set = <K extends keyof PrinterSettings>(key: K, value: PrinterSettings[K]) =>
    setP({ ...p, [key]: value });
  const field = (label: MessageKey, input: ReactNode) => (
    <label>
      {t(label)} {input}
    </label>
  );
  /** A choice among a setting's values, each in the desk's words (`printing.<key>.<value>`). */
  const choice = <K extends 'role' | 'protocol' | 'connection'>(
    key: K,
    values: readonly PrinterSettings[K][],
    pick: (value: PrinterSettings[K]) => void = (value) => set(key, value),
  ) =>
    field(
      `printing.${key}`,
      <select value={p[key]} onChange={(e) => pick(e.target.value as PrinterSettings[K])}>
        {values.map((value) => (
          <option key={value} value={value}>
            {t(`printing.${key}.${value}` as MessageKey)}
          </option>
        ))}
      </select>,
    );
  return (
    <form
      className="printer-form"
      data-testid="printer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void onSave(p).then((ok) => ok && onClose());
      }}
      onKeyDown={(e) => e.key === 'Escape' && onClose()}
    >
      {field(
        'printing.name',
        <input autoFocus value={p.name} onChange={(e) => set('name', e.target.value)} />,
      )}
      {choice('role', ['tickets', 'receipts', 'reports'])}
      {choice('protocol', ['fgl', 'escpos', 'pdf'], (protocol) => setP(withProtocol(p, protocol)))}
      {choice('connection', ['tcp', 'device', 'system'])}
      {field(
        'printing.address',
        <input
          value={p.address}
          placeholder={t(`printing.addressHint.${p.connection}`)}
          onChange={(e) => set('address', e.target.value)}
        />,
      )}
      {field(
        'printing.paper',
        <select value={p.paper} onChange={(e) => set('paper', e.target.value as PrinterSettings['paper'])}>
          <option value="thermal-2x5.5in">2 × 5.5 in</option>
          <option value="80mm">80 mm</option>
          <option value="a4">A4</option>
          <option value="letter">{t('paper.letter')}</option>
        </select>,
      )}
      {field(
        'printing.dpi',
        <input inputMode="numeric" value={p.dpi} onChange={(e) => set('dpi', Number(e.target.value) || 0)} />,
      )}
      {field(
        'printing.width',
        <input
          inputMode="decimal"
          value={p.printWidthMm}
          onChange={(e) => set('printWidthMm', Number(e.target.value.replace(',', '.')) || 0)}
        />,
      )}
      <Toggle
        label={t('printing.enabled')}
        value={p.enabled}
        onChange={(enabled) => set('enabled', enabled)}
      />
      <button type="submit">{t('common.save')}</button>
    </form>
  );
}

function JobRow({
  job,
  act,
}: {
  job: PrintJobView;
  act: (
    method: 'printJobs.retry' | 'printJobs.cancel' | 'printJobs.confirmPrinted',
    job: PrintJobView,
  ) => void;
}) {
  const t = useT();
  const open = job.state === 'queued' || job.state === 'printing' || job.state === 'failed';
  return (
    <li className={`print-job ${job.state}`} data-testid="print-job" data-state={job.state}>
      <span className="job-title">{job.title}</span>{' '}
      <span className="job-state">
        {t(`printing.state.${job.state}`)} ·{' '}
        {t('printing.pages', { done: job.pagesDone, total: job.pagesTotal ?? '?' })} · {job.printerName}
      </span>
      {job.reason && open ? <p className="job-reason">{job.reason}</p> : null}
      {open ? (
        <span className="job-actions">
          {job.unconfirmedPage !== null ? (
            <button onClick={() => act('printJobs.confirmPrinted', job)}>
              {t('printing.confirmPrinted')}
            </button>
          ) : null}
          {job.state === 'failed' ? (
            <button onClick={() => act('printJobs.retry', job)}>{t('printing.retry')}</button>
          ) : null}
          <button onClick={() => act('printJobs.cancel', job)}>{t('printing.cancel')}</button>
        </span>
      ) : null}
    </li>
  );
}

/** Settings › Printers: set printers up, print a test page, and see and steer the queue. */
export function PrintingSettings() {
  const t = useT();
  const request = useDesk((s) => s.request);
  const [view, refresh] = usePrintQueue();
  const [editing, setEditing] = useState<{ id: number | null; settings: PrinterSettings } | null>(null);

  const save = async (id: number | null, printer: PrinterSettings) => {
    const saved = await request('printers.save', { id, printer }, t('settings.saved'));
    await refresh();
    return saved !== null;
  };
  const act = (
    method: 'printJobs.retry' | 'printJobs.cancel' | 'printJobs.confirmPrinted',
    job: PrintJobView,
  ) => {
    if (method === 'printJobs.cancel' && !window.confirm(t('printing.cancelConfirm', { title: job.title })))
      return;
    void request(method, { id: job.id }).then(refresh);
  };
  const remove = (p: PrinterView) => {
    if (!window.confirm(t('printing.removeConfirm', { name: p.name }))) return;
    void request('printers.remove', { id: p.id }).then(refresh);
  };
  const test = (p: PrinterView) =>
    void request(
      'printers.test',
      { id: p.id, key: crypto.randomUUID() },
      t('printing.testQueued', { name: p.name }),
    ).then(refresh);

  return (
    <Section title={t('printing.title')}>
      <div data-testid="printing">
        {view && view.printers.length === 0 ? <p className="hint">{t('printing.none')}</p> : null}
        <ul className="printers">
          {view?.printers.map((p) => (
            <li key={p.id} data-testid="printer" data-state={p.state}>
              <strong>{p.name}</strong> · {t(`printing.role.${p.role}`)} ·{' '}
              {t(`printing.protocol.${p.protocol}`)} · {p.address || t('printing.connection.system')} ·{' '}
              <span className={p.state === 'held' ? 'printer-state held' : 'printer-state'}>
                {p.state === 'held' ? p.stateReason : t('printing.ready')}
              </span>{' '}
              <button onClick={() => test(p)}>{t('printing.test')}</button>{' '}
              <button onClick={() => setEditing({ id: p.id, settings: p })}>{t('printing.edit')}</button>{' '}
              <button onClick={() => remove(p)}>{t('printing.remove')}</button>
            </li>
          ))}
        </ul>
        {editing ? (
          <PrinterForm
            key={editing.id ?? 'new'}
            initial={editing.settings}
            onSave={(p) => save(editing.id, p)}
            onClose={() => setEditing(null)}
          />
        ) : (
          <button onClick={() => setEditing({ id: null, settings: EMPTY })}>{t('printing.add')}</button>
        )}
        <h3>{t('printing.queue')}</h3>
        {view && view.jobs.length === 0 ? <p className="hint">{t('printing.queueEmpty')}</p> : null}
        <ul className="print-jobs">
          {view?.jobs.map((j) => (
            <JobRow key={j.id} job={j} act={act} />
          ))}
        </ul>
      </div>
    </Section>
  );
}
