/**
 * What the desktop shell itself says — the native menu, its dialogs and notifications — in the
 * UI's languages (the renderer's catalogues hold the rest). The renderer tells the shell the
 * language picked in the header; until then the system's.
 */
import type { Locale } from '../ui-locale';

const en = {
  file: 'File',
  newTerminal: 'New Terminal',
  openFile: 'Open Lab or Scenario File…',
  openRecent: 'Open Recent',
  clearRecent: 'Clear Recent',
  exportCapture: 'Export Capture (pcapng)…',
  lab: 'Lab',
  startAll: 'Start All Services',
  stopAll: 'Stop All Services',
  view: 'View',
  toggleInspector: 'Toggle Inspector',
  toggleTheme: 'Toggle Light / Dark Theme',
  shortcuts: 'Keyboard Shortcuts',
  about: 'About NetLab',
  openTitle: 'Open a lab or scenario file',
  labFiles: 'NetLab labs and scenarios',
  allFiles: 'All files',
  exportTitle: 'Export the capture',
  cannotOpen: 'NetLab could not open the file',
  notAFile: 'not a file',
  tooBig: (max: number) => `over ${max} characters: not a lab or scenario file`,
  checkPassed: (lab: string | null) => `NetLab: check passed${lab ? ` — ${lab}` : ''}`,
  licence: 'MIT licence',
};

export type DesktopText = typeof en;

const zhCN: DesktopText = {
  file: '文件',
  newTerminal: '新建终端',
  openFile: '打开实验或场景文件…',
  openRecent: '最近打开',
  clearRecent: '清除最近打开',
  exportCapture: '导出捕获（pcapng）…',
  lab: '实验',
  startAll: '启动所有服务',
  stopAll: '停止所有服务',
  view: '视图',
  toggleInspector: '显示/隐藏检查器',
  toggleTheme: '切换浅色/深色主题',
  shortcuts: '键盘快捷键',
  about: '关于 NetLab',
  openTitle: '打开实验或场景文件',
  labFiles: 'NetLab 实验与场景',
  allFiles: '所有文件',
  exportTitle: '导出捕获',
  cannotOpen: 'NetLab 无法打开该文件',
  notAFile: '不是文件',
  tooBig: (max: number) => `超过 ${max} 个字符：不是实验或场景文件`,
  checkPassed: (lab: string | null) => `NetLab：检查通过${lab ? ` —— ${lab}` : ''}`,
  licence: 'MIT 许可证',
};

const TEXT: Record<Locale, DesktopText> = { en, 'zh-CN': zhCN };

export function desktopText(locale: Locale): DesktopText {
  return TEXT[locale];
}
