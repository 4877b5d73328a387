/** 邮件实验核心发送的词：投递状态通知的 Action（RFC 3464 §2.3.3）。 */
export default {
  dsn: { action: { failed: '失败', delayed: '延迟', delivered: '已交付', relayed: '已中继', expanded: '已展开' } },
};
