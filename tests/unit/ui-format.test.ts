import { describe, expect, it } from 'vitest';
import { formatClock, formatCount, formatDateTime } from '../../src-renderer/src/util/format';

process.env.TZ = 'UTC';

describe('the UI formats dates and counts one way, in English', () => {
  it('a date and time, and a clock time, with a 24-hour clock', () => {
    const t = Date.UTC(2026, 11, 5, 7, 16, 59);
    expect(formatDateTime(t)).toBe('Dec 5, 2026, 07:16:59');
    expect(formatDateTime('Sat, 05 Dec 2026 07:16:59 +0000')).toBe('Dec 5, 2026, 07:16:59');
    expect(formatClock(t)).toBe('07:16:59');
    expect(formatClock(Date.UTC(2026, 11, 5, 0, 0, 1))).toBe('00:00:01');
  });

  it('a Date header that does not parse is shown as it was written', () => {
    expect(formatDateTime('the day after tomorrow')).toBe('the day after tomorrow');
  });

  it('counts group thousands with commas', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('in Chinese, the same things in Chinese forms', () => {
  it('dates, clock times, counts and directions follow the language switch', async () => {
    const { rememberLocale } = await import('../../src-renderer/src/i18n/locale');
    const { directionTitle } = await import('../../src-renderer/src/util/format');
    const t = Date.UTC(2026, 11, 5, 7, 16, 59);
    rememberLocale('zh-CN');
    try {
      expect(formatDateTime(t)).toBe('2026年12月5日 07:16:59');
      expect(formatClock(t)).toBe('07:16:59');
      expect(formatCount(1234567)).toBe('1,234,567');
      expect(directionTitle('c2s')).toBe('客户端 → 服务器');
    } finally {
      rememberLocale('en');
    }
    expect(formatDateTime(t)).toBe('Dec 5, 2026, 07:16:59');
    expect(directionTitle('c2s')).toBe('client → server');
  });
});
