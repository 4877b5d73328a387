/** 实验室核心为 Web 标签页的实验发送的文字（键见 src-main/lab/lab-text.ts）。 */
export default {
  phase: {
    nonPersistent: '非持续连接（{i}/{n}）',
    parallel: '并行，m = {m}（{i}/{n}）',
    persistent: '持续连接（{i}/{n}）',
    pipelined: '流水线（{i}/{n}）',
    option: '{option}（{i}/{n}）',
  },
  formula: {
    nonPersistent: '每个对象 2 个往返时间：2·({n}+1)·RTT',
    parallel: '2·RTT（基本 HTML 文件）+ 2⌈n/m⌉·RTT：2·(1+⌈{n}/{m}⌉)·RTT',
    persistent: 'RTT（建立连接）+ ({n}+1)·RTT，每个对象一个 RTT',
    pipelined: 'RTT（建立连接）+ RTT（基本 HTML 文件）+ 所有对象共约 1 个 RTT',
    transmission: '{base} + 传输时间 {ms} ms（字节数·8/R）',
  },
  option: {
    access: '{mbps} Mbps 接入链路',
    cache: '{mbps} Mbps 链路 + 缓存',
  },
  caching: {
    withCache: '未命中 {missShare}·{missS} s + 命中 {hitShare}·{lanS} s = {totalS} s（La/R = {rho}）',
    unbounded: 'La/R = {a}·{L} Mbit / {R} Mbps = {rho}：队列无限增长，时延达数分钟',
    bounded: 'La/R = {rho}：{d} s 因特网时延 + 数毫秒 ≈ {missS} s',
  },
};
