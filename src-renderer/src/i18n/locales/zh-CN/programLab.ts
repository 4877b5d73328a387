/** 实验核心发送的套接字程序名称（键见 src-main/lab/scenarios/lab-text.ts）。 */
export default {
  title: {
    'udp-client': 'UDP 客户端',
    'udp-server': 'UDP 服务器',
    'tcp-client': 'TCP 客户端',
    'tcp-server': 'TCP 服务器',
    'udp-pinger': 'UDP ping 程序',
    'web-server': 'Web 服务器',
    'smtp-client': 'SMTP 客户端',
    'web-proxy': 'Web 代理服务器',
  },
};
