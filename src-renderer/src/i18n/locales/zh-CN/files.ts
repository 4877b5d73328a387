/** 从外部打开的实验或场景文件（打开…、双击）：先看它改变什么，再应用。 */
export default {
  openLabAsk: '打开这个实验吗？',
  applyScenarioAsk: '应用这个场景吗？',
  mistake: '这个文件有错误，无法应用：{error}',
  applying: '应用它将会：',
  cancel: '取消',
  openLab: '打开实验',
  applyScenario: '应用场景',
  openedLab: '已打开实验“{title}”',
  appliedScenario: '已应用场景“{title}”',
};
