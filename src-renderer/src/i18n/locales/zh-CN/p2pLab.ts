/** P2P 服务发给分布式散列表视图和覆盖网络视图的状态行（src-main/lab/p2p/lab-text.ts 连同键和参数一起发送）。 */
export default {
  dht: {
    stopped: '已停止',
    noService: '没有分布式散列表(DHT)服务',
    storing: '正在存储 {n} 个键',
    peerLeft: '对等方 {id} 已离开',
    peerJoined: '对等方 {id} 已加入',
    lookingUp: '正在查找',
    done: '完成：{lookups} 次查找，丢失 {lost} 个键',
  },
  overlays: {
    stopped: '已停止',
    noService: '没有覆盖网络服务',
    starting: '正在启动 {n} 个对等方',
    asking: '正在通过 {kind} 查询',
    done: '完成：在 {overlays} 上共 {n} 次查询',
  },
};
