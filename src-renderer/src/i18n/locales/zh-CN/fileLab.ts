/** 实验核心写出的“应用打开的实验或场景文件会改变什么”（键见 src-main/lab/files/lab-text.ts）。 */
export default {
  lab: {
    oneTask: '1 个任务',
    tasks: '{n} 个任务',
    opens: '在“实验”标签页中打开实验“{title}”（{tasks}）',
    saves: '把它保存为你的实验 {copy}（你同名的副本会被替换）',
    applies: '应用该实验的场景：服务、链路和设置按它的规定改变',
  },
  list: '{a}，{b}',
  scenario: {
    stops: '停止 {ids}；其他服务都运行',
    allRun: '所有服务都运行',
    service: '{id}：{changes}',
    port: '端口 {port}',
    delay: '{ms} ms 时延',
    loss: '{pct} % 丢包',
    jitter: '{ms} ms 抖动',
    rate: '速率 {kbps} kbit/s',
    reorder: '{pct} % 乱序',
    mode: '{mode} 模式',
    perfect: '文件没有设置的链路恢复为理想链路',
    captureLimit: '捕获保留 {n} 个报文',
    captureOff: '关闭捕获',
    web: 'Web 服务器和代理的开关按文件的规定改变',
  },
  error: {
    tooLong: '文件超过 {max} 个字符',
    notLab: '不是实验文件',
    other: '错误：{message}',
    atLine: '第 {line} 行：{message}',
  },
};
