/** DNS 实验核心写出的句子（src-main/lab/dns/lab-text.ts 连同键和参数一起发送）。 */
export default {
  step: {
    cached: '在缓存中（TTL 还剩 {ttl} 秒）：{what}',
    cachedHit: '在缓存中（TTL 还剩 {ttl} 秒）',
    chainStopped: '递归查询链停在指向 {zone} 的引荐处：本地DNS服务器从那里继续迭代查询',
    cachedAlias: '在缓存中（TTL 还剩 {ttl} 秒）：{name} 是 {target} 的别名',
    notSent: '{question}？— 未发送：引荐已在缓存中',
    cachedReferral: '来自缓存（TTL 还剩 {ttl} 秒）：引荐到 {zone}：NS {ns}',
    cachedReferralGlue: '来自缓存（TTL 还剩 {ttl} 秒）：引荐到 {zone}：NS {ns}；胶水记录 {glue}',
    query: '{question}？（非递归）',
    queryRecursive: '{question}？（期望递归）',
    noReply: '没有响应：{error}',
    noGlue: '{zone} 的服务器只知道名字（{host}，没有胶水记录）：先解析 {host}',
    glueFound: '{host} 的地址是 {addresses}：回到 {question}，询问 {zone} 的服务器',
  },
  reply: {
    nxdomain: 'NXDOMAIN：名字不存在',
    nodata: 'NODATA：这个名字没有该类型的记录',
    rcode: '{rcode}',
    answer: '回答：{records}',
    answerAuthoritative: '回答（权威）：{records}',
    referral: '引荐到 {zone}：NS {ns}',
    referralGlue: '引荐到 {zone}：NS {ns}；胶水记录 {glue}',
    truncated: '{reply}（UDP 响应被截断：改用 TCP 重新查询）',
  },
};
