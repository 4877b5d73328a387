/** 标题栏：应用名、打开…、数据目录和开关。 */
export default {
  subtitle: '应用层实验室',
  open: '打开…',
  openTitle: '打开实验或场景文件（.netlab、.netlab-lab.yaml、.netlab-scenario.yaml、.yaml）：先查看它会改变什么，再应用',
  dataDirTitle: '实验数据目录：{dir}',
  data: '数据',
  useArea: '{area} {size}，{files} 个文件 | {area} {size}，{files} 个文件',
  useOther: '{area} {size}',
  other: '其他',
  useLinks: '{n} 个符号链接（不跟随到其区域之外） | {n} 个符号链接（不跟随到其区域之外）',
  useTitle: '数据目录共占 {size}：\n{lines}\n（点击重新测量）',
  dockRight: '将检查器停靠在右侧',
  dockBottom: '将检查器停靠在底部',
  themeLight: '切换到浅色主题',
  themeDark: '切换到深色主题',
  shortcuts: '键盘快捷键',
  languageTitle: '界面语言',
};
