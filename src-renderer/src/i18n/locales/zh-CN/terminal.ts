/** 实验终端的标签页、菜单和消息。 */
export default {
  title: '终端 {n}',
  tabs: '终端',
  ended: '（已结束）',
  close: '关闭此终端（Delete）',
  new: '新建终端',
  newTitle: '新建终端（Ctrl+`）',
  empty: '没有打开的终端。按 {plus} 或 {keys} 打开一个，然后输入 {help} 或 {telnet}。',
  or: '或',
  screenReader: '实验终端 {title}（Tab 补全；先按 Escape 再按 Tab 离开终端）',
  openFailed: '无法打开实验终端：{error}',
  sessionEnded: '[会话已结束 —— 关闭此标签页，或用 + 打开新的]',
  menu: { copy: '复制', paste: '粘贴', selectAll: '全选', clear: '清屏' },
};
