import { useEffect } from 'react';
import { useDesk, usePick, useT } from './context';
import { SCREENS, type Screen } from './store';
import type { MessageKey } from './i18n';
import { SalesScreen } from './screens/Sales';
import { OrdersScreen } from './screens/Orders';
import { ApprovalsScreen } from './screens/Approvals';
import { RefundsScreen } from './screens/Refunds';
import { DashboardScreen } from './screens/Dashboard';
import { SetupScreen } from './screens/Setup';
import { SettingsScreen } from './screens/Settings';
import { CheckinScreen } from './screens/Checkin';
import { PrinterBanner } from './screens/Printing';
import { ShiftScreen } from './screens/Shift';
import { LoginScreen, ManagerPrompt } from './screens/Login';

const SCREEN_VIEWS: Record<Screen, () => React.JSX.Element> = {
  sales: SalesScreen,
  orders: OrdersScreen,
  approvals: ApprovalsScreen,
  refunds: RefundsScreen,
  dashboard: DashboardScreen,
  setup: SetupScreen,
  settings: SettingsScreen,
  checkin: CheckinScreen,
  shift: ShiftScreen,
};

/** The desk's last answer in plain words; a click (or Esc) dismisses it. */
function Notice() {
  const { notice, dismiss } = usePick('notice', 'dismiss');
  if (!notice) return null;
  return (
    <div
      className={`notice ${notice.kind}`}
      role={notice.kind === 'error' ? 'alert' : 'status'}
      onClick={dismiss}
    >
      {notice.text}
    </div>
  );
}

export function App() {
  const t = useT();
  const { screen, go, notice, dismiss } = usePick('screen', 'go', 'notice', 'dismiss');
  const approvals = useDesk((s) => s.approvals.length);
  const { locale, till, request, setTill } = usePick('locale', 'till', 'request', 'setTill');

  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);

  const switchCashier = () => void request('till.signOut', {}).then((s) => s && setTill(s));

  // Alt+1 … Alt+9 switch screens from anywhere, even while typing; Alt+L switches the cashier.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && !e.ctrlKey && e.code === 'KeyL' && till?.cashier) {
        e.preventDefault();
        void request('till.signOut', {}).then((s) => s && setTill(s));
      }
      if (e.altKey && !e.ctrlKey && /^Digit[1-9]$/.test(e.code)) {
        const target = SCREENS[Number(e.code.slice(5)) - 1];
        if (target) {
          e.preventDefault();
          go(target);
        }
      }
      if (e.key === 'Escape' && notice) dismiss();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go, notice, dismiss, till, request, setTill]);

  const View = SCREEN_VIEWS[screen];
  // Nobody sells before saying who they are.
  if (till && !till.cashier)
    return (
      <div className="app login-app">
        <Notice />
        <LoginScreen />
      </div>
    );
  return (
    <div className="app">
      <nav className="nav" aria-label={t('a11y.screens')}>
        <div className="brand">{t('app.title')}</div>
        {till?.cashier ? (
          <div className="till-who" data-testid="till-who">
            <strong>{till.desk}</strong>
            <span>{till.cashier.name}</span>
            <button type="button" className="link" onClick={switchCashier}>
              {t('till.switch')} <kbd>Alt+L</kbd>
            </button>
          </div>
        ) : null}
        {SCREENS.map((s, i) => (
          <button
            key={s}
            className={s === screen ? 'nav-item active' : 'nav-item'}
            aria-current={s === screen ? 'page' : undefined}
            data-screen={s}
            onClick={() => go(s)}
          >
            <span>{t(`nav.${s}` as MessageKey)}</span>
            {s === 'approvals' && approvals > 0 ? (
              <span className="badge" data-testid="approvals-count">
                {approvals}
              </span>
            ) : null}
            <kbd>Alt+{i + 1}</kbd>
          </button>
        ))}
      </nav>
      <main className="main">
        <Notice />
        <PrinterBanner />
        <View />
      </main>
      <ManagerPrompt />
    </div>
  );
}
