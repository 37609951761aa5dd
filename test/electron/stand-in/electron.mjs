// A stand-in for the parts of Electron's main-process API the desktop app uses. It reports what the
// app does to the test over the IPC channel, and lets the test call the renderer's `guichet:rpc` and
// close the window.
import { EventEmitter } from 'node:events';

const report = (message) => process.send?.(message);

class App extends EventEmitter {
  isPackaged = process.env.STAND_IN_PACKAGED === '1';
  requestSingleInstanceLock() {
    return process.env.STAND_IN_SECOND_INSTANCE !== '1';
  }
  getPath(name) {
    if (name !== 'userData') throw new Error(`unexpected getPath(${name})`);
    return process.env.STAND_IN_USER_DATA ?? '/nonexistent';
  }
  whenReady() {
    return Promise.resolve();
  }
  quit() {
    // As Electron does: will-quit first, and a listener may hold the quit back.
    let prevented = false;
    this.emit('will-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    report({ type: 'quit' });
    setImmediate(() => process.exit(0));
  }
  exit(code) {
    report({ type: 'exit', code });
    setImmediate(() => process.exit(code));
  }
}

export const app = new App();

const handlers = new Map();
export const ipcMain = {
  handle(channel, handler) {
    handlers.set(channel, handler);
  },
};

class WebContents extends EventEmitter {
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
  print(options, callback) {
    report({ type: 'print', options });
    callback(true, '');
  }
}

export class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.webContents = new WebContents();
    app.emit('web-contents-created', {}, this.webContents);
    // What the app's hardening decided for this window: its preferences and its answers to a navigation
    // and to a page opening a window.
    const navigation = { prevented: false, preventDefault: () => (navigation.prevented = true) };
    this.webContents.emit('will-navigate', navigation);
    const opened = this.webContents.windowOpenHandler?.({ url: 'http://example.com/' });
    report({ type: 'window', options, navigationPrevented: navigation.prevented, opened });
  }
  async loadURL(url) {
    report({ type: 'load', url });
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() {
    report({ type: 'show' });
  }
  isMinimized() {
    return false;
  }
  restore() {}
  focus() {}
  destroy() {}
}

export const session = { defaultSession: { setPermissionRequestHandler() {} } };
export const shell = { openExternal: async () => {} };
export const dialog = {
  showErrorBox(title, reason) {
    report({ type: 'error-box', title, reason });
  },
};

process.on('message', async (message) => {
  if (message.type === 'invoke') {
    const handler = handlers.get('guichet:rpc');
    const reply = await handler({ senderFrame: { url: message.url } }, message.method, message.input);
    report({ type: 'reply', id: message.id, reply });
  } else if (message.type === 'close-window') {
    app.emit('window-all-closed');
  }
});
