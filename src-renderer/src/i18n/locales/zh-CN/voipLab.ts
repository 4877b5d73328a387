/** 实验室核心发送的软电话日志（键见 src-main/lab/lab-text.ts）。 */
export default {
  log: {
    proxyDown: 'SIP 代理没有运行',
    registerSent: '已发送 REGISTER（Expires {expires}）',
    unregisterSent: '已发送 REGISTER（Expires 0：注销）',
    inviteSent: '已发送 INVITE sip:{target}，携带 SDP 提议（RTP 发往端口 {port}）',
    answered: '已发送带 SDP 应答的 200 OK：呼叫建立，媒体开始传输',
    declined: '已拒绝：已发送 486 Busy Here',
    cancelSent: '已发送 CANCEL',
    byeSent: '已发送 BYE',
    noAudio: 'SDP 中没有音频流：没有媒体',
    registered: '已注册：200 OK，代理知道 {aor} 位于 127.0.0.1:{port}',
    unregistered: '已注销：绑定已删除',
    registerRefused: 'REGISTER 被拒绝：{status} {reason}',
    ringing: '{status} {reason}：{peer} 正在振铃',
    established: '收到带 SDP 应答的 200 OK，已发送 ACK：呼叫建立，媒体开始传输',
    callFailed: '呼叫失败：{status} {reason}',
    incoming: '来自 {from} 的 INVITE：振铃（已发送 180）',
    callerCancelled: '主叫方已取消呼叫：已发送 487',
    byeReceived: '收到 BYE：已发送 200 OK，通话结束',
  },
};
