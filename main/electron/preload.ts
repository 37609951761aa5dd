import { contextBridge, ipcRenderer } from 'electron';

/**
 * The renderer's only door: one `invoke(method, input)` that resolves to `{result}` or `{error}`. Nothing
 * else of Electron or Node reaches the page.
 */
contextBridge.exposeInMainWorld('guichet', {
  invoke: (method: string, input: unknown): Promise<unknown> =>
    ipcRenderer.invoke('guichet:rpc', method, input),
});
