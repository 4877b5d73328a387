/**
 * The lab's services in the UI's language: every service the lab starts with has its name and
 * description in Chinese (none left as the lab's English), English stays as the lab says it, and
 * a service the catalogue does not know, or one the lab renamed, is shown as the lab names it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceInfo } from '../../../src-main/lab/api';
import { rememberLocale } from '../../../src-renderer/src/i18n/locale';
import { serviceDescription, serviceName } from '../../../src-renderer/src/util/serviceText';
import { startLab } from '../../helpers/lab';

let list: ServiceInfo[] = [];
let stop: () => Promise<void>;

beforeAll(async () => {
  const { lab } = await startLab();
  list = await lab['services.list']();
  stop = () => lab.shutdown();
}, 60_000);
afterAll(async () => {
  rememberLocale('en');
  await stop?.();
});

describe('service names and descriptions', () => {
  it('in English, exactly as the lab gives them', () => {
    rememberLocale('en');
    expect(list.length).toBeGreaterThan(20);
    for (const s of list) {
      expect(serviceName(s)).toBe(s.name);
      expect(serviceDescription(s)).toBe(s.description);
    }
  });

  it('in Chinese, every one of the lab’s services is translated', () => {
    rememberLocale('zh-CN');
    const protocolOnly = /^(POP3|IMAP|FTP|DNS \S+\.\S+|SMTP \S+\.\S+)$/;
    for (const s of list) {
      if (!protocolOnly.test(s.name)) expect(serviceName(s), s.id).not.toBe(s.name);
      expect(serviceDescription(s), s.id).not.toBe(s.description);
      expect(serviceDescription(s), s.id).toMatch(/[\u4e00-\u9fff]/);
    }
    expect(serviceName(list.find((s) => s.id === 'echo-tcp')!)).toBe('回显（TCP）');
    expect(serviceName(list.find((s) => s.id === 'dns-edu')!)).toBe('DNS 顶级域 edu');
    expect(serviceDescription(list.find((s) => s.id === 'smtp-hamburger')!)).toBe('hamburger.edu 的邮件服务器（MX）：投递到其用户的 Maildir；在实验室中为 mail.hamburger.edu 的 25 端口');
  });

  it('a service renamed by the lab, or unknown to the catalogue, keeps the lab’s words', () => {
    rememberLocale('zh-CN');
    expect(serviceName({ id: 'echo-tcp', name: 'Echo (TCP, renamed)', description: 'x' })).toBe('Echo (TCP, renamed)');
    expect(serviceName({ id: 'my-service', name: 'My own service', description: 'Something new' })).toBe('My own service');
    expect(serviceDescription({ id: 'my-service', name: 'My own service', description: 'Something new' })).toBe('Something new');
  });
});
