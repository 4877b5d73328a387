/** DNS 标签页：解析、本地DNS服务器的缓存、区域文件、层次结构、指南。 */
export default {
  panes: 'DNS 窗格',
  tabs: { resolve: '解析', cache: '缓存', zones: '区域', hierarchy: '层次结构', guide: '指南：注册域名' },
  /** 教材图 2.19/2.20 中的各方 */
  party: {
    host: '请求主机',
    local: '本地DNS服务器',
    root: '根DNS服务器',
    tld: '顶级域(TLD)服务器',
    auth: '权威DNS服务器',
  },
  resolve: {
    name: '名字',
    type: '类型',
    askTitle: '向本地DNS服务器查询，分别用迭代查询和递归查询',
    resolving: '正在解析…',
    resolve: '解析',
    badName: '“{name}”不是域名：标号由字母、数字、- 和 _ 组成，以点分隔（如 gaia.cs.umass.edu）。',
    hint: '两栏从同一份缓存开始；再解析一次，可以看到缓存命中跳过的步骤。点击某一步可在检查器中查看它的报文。',
    empty:
      '输入实验中的名字（gaia.cs.umass.edu、www.networkutopia.com、crepes.fr 配 MX …）并按“解析”：实验中的请求主机向本地DNS服务器查询，本地DNS服务器沿层次结构——根、顶级域、权威——逐级查询，每个报文都是真实的，可在检查器中打开。',
    iterative: '迭代查询',
    iterativeFigure: 'Kurose & Ross 图 2.19',
    iterativeWhat: '本地DNS服务器依次询问根、顶级域(TLD)和权威DNS服务器；每个服务器把它引向下一个',
    recursive: '递归查询',
    recursiveFigure: 'Kurose & Ross 图 2.20',
    recursiveWhat: '每个服务器代表本地DNS服务器询问下一个服务器，并把回答传回',
    result: '{n} 个报文，{ms} ms',
  },
  diagram: {
    label: '解析示意图',
    notSent: '（未发送：来自缓存）',
  },
  step: {
    subTitle: '正在查找名字服务器的地址。',
    showTitle: '在检查器中显示这个报文',
    cachedTitle: '由本地DNS服务器的缓存回答：没有发送报文',
    notSent: '未发送',
    skipped: '已跳过 — ',
  },
  cache: {
    intro: '本地DNS服务器的缓存中有 {n} 个条目。回答按其 TTL 保留；“名字不存在”按该区域 SOA 的 minimum 保留（RFC 2308）。',
    flushTitle: '清空本地DNS服务器的缓存：下一次查找将重新从根开始',
    flush: '清空缓存',
    col: { name: '名字', type: '类型', ttl: '剩余 TTL', source: '得自', data: '数据' },
    source: { answer: '回答', referral: '引荐', glue: '胶水记录', negative: '否定回答' },
    empty: '空。解析一个名字，或在终端中输入 {command}。',
  },
  zones: {
    discard: '放弃对这个区域未保存的修改？',
    zoneTitle: '{file} — {n} 条资源记录',
    zoneTitleMine: '{file} — {n} 条资源记录，你的副本',
    mine: '你编辑过的副本',
    lineError: '第 {line} 行：{message}',
    resetTitle: '删除你的副本，重新提供自带的区域',
    reset: '重置',
    saveTitle: '校验并保存（Ctrl+S）',
    save: '保存',
    migrated: '启动时，实验检查了你的副本：',
    saved: '已保存。服务器现在按它回答；本地DNS服务器的缓存已清空。',
    savedWarnings:
      '已保存，有 {n} 个警告：请看标记的行。服务器现在按它回答。 | 已保存，有 {n} 个警告：请看标记的行。服务器现在按它回答。',
    shipped: '已恢复为自带的区域。',
  },
  hierarchy: {
    label: 'DNS 层次结构',
    intro:
      '每个服务器都是 127.0.0.1 上真实的监听者（UDP 和 TCP）。在实验内部，每个服务器使用教材给它的地址：解析器访问 {address} 的 53 端口，会被转到根DNS服务器的真实端口。真实的客户端使用真实端口：{command}。',
    root: '根DNS服务器',
    tld: '顶级域(TLD)服务器',
    auth: '权威DNS服务器',
    local: '本地DNS服务器',
    zones: '区域：',
  },
  guide: {
    title: '向 DNS 数据库中插入记录：Network Utopia 注册 networkutopia.com',
    intro:
      'Kurose & Ross §2.4.3。{start} 会把实验带回注册的前一天：com 顶级域(TLD)服务器对 networkutopia.com 一无所知，公司自己的服务器（dns1.networkutopia.com，212.212.212.1）只有它自己的记录。然后在区域编辑器中扮演注册登记机构和公司；区域显示某一步完成时，这一步就会打勾。保存区域立即生效。',
    startWord: '开始',
    start: '开始：回到注册之前',
    check: '检查',
    restoreTitle: '恢复自带的 com 和 networkutopia.com 区域',
    restore: '恢复自带的区域',
    pending: '尚未开始：自带的区域是注册后一天的样子。按 {start} 开始。',
    edit: '编辑 {file}',
    confirmStart:
      '“开始”会用注册前一天的内容替换你编辑过的 {files}；你对它的修改将丢失。\n\n仍要开始？ | “开始”会用注册前一天的内容替换你编辑过的 {files}；你对它们的修改将丢失。\n\n仍要开始？',
    and: ' 和 ',
    /** 各步骤的标题，按 id（实验以英文发送：src-main/lab/dns/guide.ts） */
    steps: {
      ns: '注册登记机构把一条 NS 记录插入 com 顶级域(TLD)服务器',
      glue: '……以及该服务器的一条 A 类型记录（胶水记录）',
      www: '公司把其 Web 服务器的一条 A 类型记录插入自己的服务器',
      mx: '……以及其邮件服务器的一条 MX 类型记录',
      resolve: '现在任何人都能找到 www.networkutopia.com',
    },
  },
};
