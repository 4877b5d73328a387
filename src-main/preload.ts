// Runs in the sandboxed renderer before the page: exposes the lab API as window.netlab.
// ipcRenderer itself is never exposed (electron-vite guide, "wrap ipcRenderer calls").
import { contextBridge, ipcRenderer } from 'electron';
import { buildExposedApi } from './preload-api';

contextBridge.exposeInMainWorld('netlab', buildExposedApi(ipcRenderer));
