import { useEffect, useState, type ReactNode } from 'react';
import { usePick, useT } from '../context';
import { formatDateTime } from '../i18n';
import {
  LOCALES,
  type ApiTokenView,
  type DeskSettings,
  type DevicePairing,
  type DeviceView,
  type Locale,
} from '../../../shared/contract';
import { Form, HintedInput, Needs, Section, Toggle, Screen, type KeyHint } from './common';
import { PrintingSettings } from './Printing';
import { SyncPanel } from './Sync';

const LANGUAGE_NAMES: Record<Locale, string> = { en: 'English', de: 'Deutsch' };

/** A settings form: its fields, then Save. */
function SaveForm({ onSave, children }: { onSave: () => void; children: ReactNode }) {
  const t = useT();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        onSave();
      }}
    >
      {children}
      <button type="submit">{t('common.save')}</button>
    </form>
  );
}

/** "Revoked", or the button that revokes (an API token or a device alike). */
function RevokeCell({ revoked, onRevoke }: { revoked: boolean; onRevoke: () => void }) {
  const t = useT();
  return (
    <td>
      {revoked ? t('settings.tokenRevoked') : <button onClick={onRevoke}>{t('settings.tokenRevoke')}</button>}
    </td>
  );
}

const replaceById = <T extends { id: number }>(rows: T[], row: T): T[] =>
  rows.map((x) => (x.id === row.id ? row : x));

export function SettingsScreen() {
  const t = useT();
  const { info, locale, setLocale, request, refreshInfo, can, tiles, eventId, subeventId } = usePick(
    'info',
    'locale',
    'setLocale',
    'request',
    'refreshInfo',
    'can',
    'tiles',
    'eventId',
    'subeventId',
  );
  const pinned = info?.settings.quickSell ?? null;
  const pinnedKey = pinned ? `${pinned.itemId}-${pinned.variationId ?? 0}` : '';
  const [tokens, setTokens] = useState<ApiTokenView[]>([]);
  const [shown, setShown] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<ApiTokenView['scope']>('all');
  const [api, setApi] = useState<DeskSettings['api'] | null>(null);
  const [printer, setPrinter] = useState<DeskSettings['printer'] | null>(null);
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [deviceName, setDeviceName] = useState('');
  const [pairing, setPairing] = useState<(DevicePairing & { name: string }) | null>(null);

  useEffect(() => {
    void request('tokens.list', {}).then((list) => list && setTokens(list));
    if (can('devices.list')) void request('devices.list', {}).then((list) => list && setDevices(list));
  }, [request, can]);
  useEffect(() => {
    if (info) {
      setApi(info.settings.api);
      setPrinter(info.settings.printer);
    }
  }, [info]);

  const revokeToken = (id: number) =>
    void request('tokens.revoke', { id }).then((r) => r && setTokens(replaceById(tokens, r)));
  const revokeDevice = (id: number) =>
    void request('devices.revoke', { id }).then((r) => r && setDevices(replaceById(devices, r)));
  const save = async (change: Partial<DeskSettings>) => {
    const settings = await request('settings.update', change, t('settings.saved'));
    if (settings) await refreshInfo();
  };

  const keys: KeyHint[] = [
    ['Tab', ''],
    ['Enter', t('common.save')],
  ];
  return (
    <Screen name="settings" keys={keys}>
      <div className="columns">
        <Section title={t('settings.language')}>
          <select
            aria-label={t('settings.language')}
            data-testid="language"
            value={locale}
            onChange={(e) => void setLocale(e.target.value as Locale)}
          >
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LANGUAGE_NAMES[l]}
              </option>
            ))}
          </select>
        </Section>
        <Section title={t('settings.api')}>
          <p>
            {info?.api.running && info.api.url
              ? t('settings.apiRunning', { url: info.api.url })
              : t('settings.apiStopped')}
          </p>
          {info?.mode === 'browser' ? <p className="hint">{t('settings.apiShared')}</p> : null}
          {api ? (
            <SaveForm onSave={() => void save({ api })}>
              <Toggle
                label={t('settings.apiEnabled')}
                value={api.enabled}
                onChange={(enabled) => setApi({ ...api, enabled })}
              />
              <label>
                {t('settings.host')}{' '}
                <input value={api.host} onChange={(e) => setApi({ ...api, host: e.target.value })} />
              </label>
              <label>
                {t('settings.port')}{' '}
                <input
                  inputMode="numeric"
                  value={api.port}
                  onChange={(e) => setApi({ ...api, port: Number(e.target.value) || 0 })}
                />
              </label>
            </SaveForm>
          ) : null}
        </Section>
        <Needs method="printing.queue">
          <PrintingSettings />
        </Needs>
        <Section title={t('settings.printer')}>
          {printer ? (
            <SaveForm onSave={() => void save({ printer })}>
              <label>
                {t('settings.printerName')}{' '}
                <input
                  value={printer.name}
                  onChange={(e) => setPrinter({ ...printer, name: e.target.value })}
                />
              </label>
              <label>
                {t('settings.paper')}{' '}
                <select
                  value={printer.paper}
                  onChange={(e) =>
                    setPrinter({ ...printer, paper: e.target.value as DeskSettings['printer']['paper'] })
                  }
                >
                  <option value="a4">A4</option>
                  <option value="letter">{t('paper.letter')}</option>
                  <option value="80mm">80 mm</option>
                  <option value="thermal-2x5.5in">2 × 5.5 in</option>
                </select>
              </label>
            </SaveForm>
          ) : null}
        </Section>
        <Section title={t('settings.quickSell')}>
          <select
            aria-label={t('settings.quickSell')}
            data-testid="quick-sell-item"
            value={pinnedKey}
            onChange={(e) => {
              const tile = tiles.find((x) => `${x.itemId}-${x.variationId ?? 0}` === e.target.value);
              void save({
                quickSell:
                  tile && eventId !== null
                    ? {
                        eventId,
                        subeventId,
                        itemId: tile.itemId,
                        variationId: tile.variationId,
                        name: tile.name,
                      }
                    : null,
              });
            }}
          >
            <option value="">{t('settings.quickSellNone')}</option>
            {pinned && !tiles.some((x) => `${x.itemId}-${x.variationId ?? 0}` === pinnedKey) ? (
              <option value={pinnedKey}>{pinned.name}</option>
            ) : null}
            {tiles.map((x) => (
              <option key={`${x.itemId}-${x.variationId ?? 0}`} value={`${x.itemId}-${x.variationId ?? 0}`}>
                {x.name}
              </option>
            ))}
          </select>
        </Section>
        <Section title={t('settings.receipts')}>
          <label>
            <input
              type="checkbox"
              data-testid="print-receipts"
              checked={info?.settings.printReceipts ?? false}
              onChange={(e) => void save({ printReceipts: e.target.checked })}
            />{' '}
            {t('settings.printReceipts')}
          </label>
        </Section>
        <Section title={t('settings.database')}>
          <p className="mono">{info?.databasePath}</p>
          <button
            onClick={() =>
              void request('backup.now', {}).then(
                (r) => r && void request('app.info', {}, t('settings.backupDone', { path: r.path })),
              )
            }
          >
            {t('settings.backupNow')}
          </button>
        </Section>
      </div>
      <Section title={t('settings.tokens')}>
        <Form
          onSubmit={() =>
            request('tokens.create', { name, scope }).then((created) => {
              if (!created) return;
              setShown(created.token);
              setName('');
              setTokens([...tokens, created.info]);
            })
          }
        >
          <HintedInput label={t('settings.tokenName')} value={name} onChange={setName} />
          <select
            aria-label={t('settings.tokenScope')}
            value={scope}
            onChange={(e) => setScope(e.target.value as ApiTokenView['scope'])}
          >
            <option value="all">{t('scope.all')}</option>
            <option value="read">{t('scope.read')}</option>
            <option value="checkin">{t('scope.checkin')}</option>
          </select>
          <button type="submit">{t('settings.tokenCreate')}</button>
        </Form>
        {shown ? (
          <p className="token-shown">
            {t('settings.tokenShown')} <code data-testid="new-token">{shown}</code>
          </p>
        ) : null}
        <table>
          <tbody>
            {tokens.map((tok) => (
              <tr key={tok.id} className={tok.revokedAt ? 'canceled' : undefined}>
                <td>{tok.name}</td>
                <td>{t(`scope.${tok.scope}`)}</td>
                <td>{formatDateTime(locale, tok.created)}</td>
                <RevokeCell revoked={Boolean(tok.revokedAt)} onRevoke={() => revokeToken(tok.id)} />
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <Needs method="sync.status">
        <SyncPanel />
      </Needs>
      <Needs method="devices.create">
        <Section title={t('settings.devices')}>
          <Form
            label="new-device"
            onSubmit={() =>
              request('devices.create', { name: deviceName }).then((created) => {
                if (!created) return;
                setPairing({ ...created.pairing, name: created.device.name });
                setDeviceName('');
                setDevices([...devices, created.device]);
              })
            }
          >
            <HintedInput label={t('settings.deviceName')} value={deviceName} onChange={setDeviceName} />
            <button type="submit">{t('settings.deviceCreate')}</button>
          </Form>
          {pairing ? (
            <div className="pairing" data-testid="pairing">
              <img
                alt={t('settings.devicePairing', { name: pairing.name })}
                width={220}
                height={220}
                src={`data:image/svg+xml;utf8,${encodeURIComponent(pairing.qrSvg)}`}
              />
              <div>
                <p>{t('settings.devicePairing', { name: pairing.name })}</p>
                <p>
                  <code data-testid="pairing-url">{pairing.url}</code>
                </p>
                {pairing.reachable ? null : <p className="warn">{t('settings.deviceLoopback')}</p>}
              </div>
            </div>
          ) : null}
          <table>
            <tbody>
              {devices.map((d) => (
                <tr key={d.id} className={d.revoked ? 'canceled' : undefined} data-testid="device">
                  <td>{d.name}</td>
                  <td>{formatDateTime(locale, d.created)}</td>
                  <td>{d.initialized ? t('settings.devicePaired') : t('settings.deviceWaiting')}</td>
                  <RevokeCell revoked={d.revoked} onRevoke={() => revokeDevice(d.id)} />
                </tr>
              ))}
            </tbody>
          </table>
        </Section>
      </Needs>
    </Screen>
  );
}
