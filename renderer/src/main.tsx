import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { StoreContext } from './context';
import { createDeskStore } from './store';
import { detectTransport } from './transport';
import './styles.css';

const store = createDeskStore(detectTransport(window), window.localStorage);
void store.getState().start();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
