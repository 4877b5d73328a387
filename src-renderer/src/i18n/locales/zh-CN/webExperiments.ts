/** Web 标签页中的测量实验：持续连接（§2.2.2）和缓存示例（§2.2.5），以及它们的表格和图表。 */
export default {
  run: '运行',
  running: '运行中…',
  measured: '实测',
  textbook: '教材',
  modes: {
    nonPersistent: '非持续连接',
    persistent: '持续连接',
    pipelined: '流水线',
    parallel: '并行，m = {m}',
    parallelShort: '并行（m={m}）',
  },
  persistence: {
    title: '持续连接和非持续连接（§2.2.2）',
    intro:
      '用四种方式获取 {url} 及其十幅图片——一次一个非持续连接、m 个并行连接、一个持续连接、流水线——Web 服务器的链路使每个报文在每个方向上延迟 RTT/2。客户端在建立连接后等待一个 RTT：即 TCP 握手。',
    mTitle: '并行的非持续连接，如同浏览器曾经打开的那样',
    parallel: '个并行',
    largeTitle: '每幅图片替换为一个大对象，Web 服务器的链路限速：传输时间占主导',
    large: '大对象',
    object: '对象 {done}/{total}',
    connecting: '正在连接',
    largeNote: '{n} 个 {kb} kB 的对象，经过 R = {mbps} Mbps 的链路：每个 L/R = {ms} ms，相比之下 RTT 为 {rtt} ms。并行连接共享该链路。',
    col: { connections: '连接方式', objects: '对象数', conns: 'TCP 连接数' },
  },
  caching: {
    title: '缓存示例（§2.2.5）',
    intro:
      '某机构的浏览器通过代理服务器随机（泊松）地请求对象；来自初始服务器的每个响应先经过因特网时延，再经过接入链路这一个队列。链路上的流量强度为 La/R：{rate}·{object} Mbit / {access} Mbps = {intensity}。同样的请求以三种方式运行：{access} Mbps 链路、{fast} Mbps 链路，以及 {access} Mbps 链路加 Web 缓存，缓存中存有 {hit} 的请求所要的对象。',
    requests: '请求',
    object: '对象',
    access: '接入链路',
    or: '或',
    delay: '因特网时延',
    hitRate: '命中率',
    for: '持续',
    scale:
      '与 P2P 实验中的对等方群一样按比例缩放，约占 {wall} s 实际时间：时间快 {factor}×（因特网时延和请求间隔减半），大小和速率一起除以 {divisor}（{kb} KB 的对象）——L/R 和 La/R 与教材相同。时延以教材中的秒计。',
    answered: '{phase}：已响应 {done}/{total} 个请求',
    col: { option: '方案', hitRate: '命中率', avg: '平均时延', fifths: '最初 → 最后五分之一' },
    summary:
      '{n} 个请求，历时 {duration} s；运行耗时 {wall} s（快 {factor}×，{bytes} 字节的对象）。La/R 由实际经过链路的字节（含首部）测得。实测时延还包含实验室处理每个请求的开销（经缩放乘以 {factor}）：在繁忙的机器上会略高于教材的值。',
  },
  chart: {
    formula: '教材公式',
    madeAt: '请求发出时刻（s）',
    delay: '时延（s）',
    textbookLine: '教材，{option}{value}',
  },
};
