/** 多个视图共用的词。 */
export default {
  dir: { c2s: '客户端 → 服务器', s2c: '服务器 → 客户端', event: '捕获事件' },
  language: '语言',
};
