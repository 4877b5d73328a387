/**
 * The DNS and mail lab's sentences in the UI's language, from the real thing (the drift of every
 * key, these areas' included, is lab-text.test.ts's): a real resolution in a running lab, where
 * every step carries a key and English shows each step as the lab wrote it; the zone checker's
 * errors and warnings; a delivery report's Action words.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsResolution } from '../../../src-main/lab/api';
import { parseZone } from '../../../src-main/lab/dns/zone-parser';
import { parseDeliveryStatus } from '../../../src-main/lab/mail/bounce';
import { keyedText, zoneText } from '../../../src-renderer/src/i18n/lab-text';
import { rememberLocale } from '../../../src-renderer/src/i18n/locale';
import { startLab } from '../../helpers/lab';

const HAN = /[\u4e00-\u9fff]/;

afterAll(() => rememberLocale('en'));

describe('a real resolution’s steps', () => {
  const runs: DnsResolution[] = [];
  let stop: () => Promise<void>;
  let failed: DnsResolution;
  beforeAll(async () => {
    const { lab } = await startLab();
    stop = () => lab.shutdown();
    // from the root; again (a cache hit); a neighbour (referrals from the cache, an alias); no such name
    for (const name of ['gaia.cs.umass.edu', 'gaia.cs.umass.edu', 'www.cs.umass.edu', 'nosuch.umass.edu']) runs.push(await lab['dns.resolve'](name, 'A'));
    // a TLD server stopped: the walk fails there, and says why
    await lab['dns.flush']();
    await lab['services.stop']('dns-edu');
    failed = await lab['dns.resolve']('www.someschool.edu', 'A');
  }, 120_000);
  afterAll(async () => stop?.());

  it('every step has a key; English shows it exactly as the lab wrote it; Chinese translates it', () => {
    const steps = runs.flatMap((r) => [...r.iterative.steps, ...r.recursive.steps]);
    const used = new Set(steps.map((s) => s.textKey));
    for (const k of ['dnsLab.step.cached', 'dnsLab.step.notSent', 'dnsLab.step.cachedReferralGlue', 'dnsLab.reply.nxdomain', 'dnsLab.reply.answerAuthoritative']) expect(used, k).toContain(k);
    for (const s of steps) {
      expect(s.textKey, s.text).toMatch(/^dnsLab\./);
      rememberLocale('en');
      expect(keyedText(s)).toBe(s.text);
      rememberLocale('zh-CN');
      // a bare response code (NXDOMAIN) is a protocol word in every language
      if (s.textKey === 'dnsLab.reply.rcode') expect(keyedText(s)).toBe(s.text);
      else expect(keyedText(s), s.text).toMatch(HAN);
    }
  });

  it('the run’s error and the step that met it carry their keys; Chinese says why, host names as they are', () => {
    expect(failed.iterative.rcode).toBe('SERVFAIL');
    expect(failed.iterative.error).toContain('no lab DNS server answers at 192.12.94.30');
    expect(failed.iterative.errorKey).toMatch(/^dnsLab\.error\./);
    const error = { text: failed.iterative.error!, textKey: failed.iterative.errorKey, textParams: failed.iterative.errorParams };
    rememberLocale('en');
    expect(keyedText(error)).toBe(failed.iterative.error);
    rememberLocale('zh-CN');
    expect(keyedText(error)).toContain('没有实验 DNS 服务器应答');
    expect(keyedText(error)).toContain('192.12.94.30');
    const noReply = failed.iterative.steps.find((s) => s.textKey === 'dnsLab.step.noReply');
    expect(noReply && keyedText(noReply)).toMatch(/^没有响应：在 [\d.]+ 没有实验 DNS 服务器应答$/);
  });
});

describe('the zone checker’s errors and warnings', () => {
  const HEAD = '$TTL 3600\n@ IN SOA dns.umass.edu. hostmaster.umass.edu. 1 3600 600 604800 300\n@ IN NS dns.umass.edu.\n';
  const bad = [
    `${HEAD}www IN A 300.1.2.3\n`,
    `${HEAD}www IN AA 1.2.3.4\n`,
    `${HEAD}www.other.edu. IN A 1.2.3.4\n`,
    `${HEAD}mail IN MX ten mail.umass.edu.\n`,
    `${HEAD}x IN CNAME a\nx IN A 1.2.3.4\n`,
    `$INCLUDE other.zone\n`,
    `@ IN A 1.2.3.4\n`,
    `${HEAD}www IN A 1.2.3.4 (\n`,
    `${HEAD}..bad IN A 1.2.3.4\n`,
  ];

  it.each(bad)('%j: keyed, English as the lab wrote it, Chinese translated', (text) => {
    const r = parseZone(text, 'umass.edu');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    for (const e of r.errors) {
      expect(e.textKey, e.message).toMatch(/^dnsLab\.zone\./);
      rememberLocale('en');
      expect(zoneText(e)).toBe(e.message);
      rememberLocale('zh-CN');
      expect(zoneText(e), e.message).toMatch(HAN);
    }
  });

  it('a warning (a name missing its trailing dot) is keyed too', () => {
    const r = parseZone(`${HEAD}www IN CNAME gaia.cs.umass.edu\n`, 'umass.edu');
    expect(r.ok && r.warnings.length).toBe(1);
    if (!r.ok) return;
    rememberLocale('en');
    expect(zoneText(r.warnings[0])).toBe(r.warnings[0].message);
    rememberLocale('zh-CN');
    expect(zoneText(r.warnings[0])).toBe('相对名字：你是想写 gaia.cs.umass.edu. 吗？没有末尾的点，gaia.cs.umass.edu 会相对于源点解释，变成 gaia.cs.umass.edu.umass.edu。');
  });
});

describe('a delivery report’s Action words', () => {
  const report = (action: string): Buffer =>
    Buffer.from(
      'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsorry\r\n--b\r\n' +
        'Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mail.crepes.fr\r\n\r\n' +
        `Final-Recipient: rfc822; nobody@hamburger.edu\r\nAction: ${action}\r\nStatus: 5.1.1\r\n\r\n--b--\r\n`,
    );

  it.each([
    ['failed', '失败'],
    ['delayed', '延迟'],
  ])('%s: keyed; English as the report says, Chinese %s', (word, zh) => {
    const r = parseDeliveryStatus(report(word))!.recipients[0];
    expect(r.actionKey).toBe(`mailLab.dsn.action.${word}`);
    rememberLocale('en');
    expect(keyedText({ text: r.action, textKey: r.actionKey })).toBe(word);
    rememberLocale('zh-CN');
    expect(keyedText({ text: r.action, textKey: r.actionKey })).toBe(zh);
  });

  it('a word RFC 3464 does not define has no key and shows as written', () => {
    const r = parseDeliveryStatus(report('Bounced'))!.recipients[0];
    expect(r.actionKey).toBeUndefined();
    rememberLocale('zh-CN');
    expect(keyedText({ text: r.action, textKey: r.actionKey })).toBe('Bounced');
  });
});
