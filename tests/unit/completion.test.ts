import { describe, expect, it } from 'vitest';
import { columns, complete } from '../../src-main/lab/terminal/completion';
import { LineEditor, type EditorEvent } from '../../src-main/lab/terminal/line-editor';
import { LAB_HOSTS } from '../../src-main/lab/internet/hosts';

const names = LAB_HOSTS.map((h) => h.name);
const output = (evs: EditorEvent[]): string => evs.map((e) => (e.type === 'output' ? e.text : '')).join('');
const lines = (evs: EditorEvent[]): string[] => evs.flatMap((e) => (e.type === 'line' ? [e.line] : []));

describe('Tab completion at the netlab> prompt', () => {
  it('completes a command when one matches, with a space after it', () => {
    expect(complete('tel', names)).toEqual({ insert: 'net ', list: [] });
    expect(complete('ns', names)).toEqual({ insert: 'lookup ', list: [] });
  });

  it('lists the commands when several match and nothing can be added', () => {
    expect(complete('h', names)).toEqual({ insert: '', list: ['help', 'history', 'hosts'] });
    expect(complete('', names).list).toContain('telnet');
  });

  it("completes a lab host name after telnet, nc, dig and nslookup, and dig's @server", () => {
    expect(complete('telnet ga', names)).toEqual({ insert: 'ia.cs.umass.edu ', list: [] });
    expect(complete('nc -u loc', names)).toEqual({ insert: 'alhost ', list: [] });
    expect(complete('dig @a.r', names)).toEqual({ insert: 'oot-servers.net ', list: [] });
    expect(complete('nslookup www.netw', names)).toEqual({ insert: 'orkutopia.com ', list: [] });
    // www.netcinema.com (§2.6) shares the prefix: the common part only
    expect(complete('nslookup www.n', names)).toEqual({ insert: 'et', list: [] });
  });

  it('extends several host names to their common prefix, then lists them', () => {
    expect(complete('telnet mail.', names)).toEqual({ insert: '', list: ['mail.crepes.fr', 'mail.hamburger.edu', 'mail.networkutopia.com'] });
    expect(complete('telnet dns', names)).toEqual({ insert: '', list: ['dns.umass.edu', 'dns1.networkutopia.com', 'dns2.networkutopia.com'] });
    expect(complete('telnet dns1', names)).toEqual({ insert: '.networkutopia.com ', list: [] });
    expect(complete('telnet c', names)).toEqual({ insert: '', list: ['crepes.fr', 'cs.umass.edu'] });
    expect(complete('dig @mail.', names).list).toEqual(['@mail.crepes.fr', '@mail.hamburger.edu', '@mail.networkutopia.com']);
  });

  it('offers nothing for an unknown command, an option, or a name that matches nothing', () => {
    expect(complete('frobnicate ga', names)).toEqual({ insert: '', list: [] });
    expect(complete('nc -', names)).toEqual({ insert: '', list: [] });
    expect(complete('telnet zzz', names)).toEqual({ insert: '', list: [] });
  });

  it('lays a list out in columns that fit the terminal', () => {
    const out = columns(['mail.crepes.fr', 'mail.hamburger.edu', 'mail.networkutopia.com'], 50);
    expect(out.split('\r\n').filter(Boolean)).toEqual(['mail.crepes.fr          mail.networkutopia.com', 'mail.hamburger.edu']);
  });
});

describe('Tab in the line editor', () => {
  const shell = (): LineEditor => {
    const ed = new LineEditor();
    ed.prompt = 'netlab> ';
    ed.completer = (before) => complete(before, names);
    return ed;
  };

  it('completes in place and the line sent is the completed one', () => {
    const ed = shell();
    const evs = ed.feed('telnet gaia\t80\r');
    expect(output(evs)).toContain('.cs.umass.edu ');
    expect(lines(evs)).toEqual(['telnet gaia.cs.umass.edu 80']);
  });

  it('lists several matches under the line and draws the prompt and the line again', () => {
    const ed = shell();
    ed.feed('telnet mail.');
    const out = output(ed.feed('\t'));
    expect(out).toContain('mail.crepes.fr');
    expect(out).toContain('mail.networkutopia.com');
    expect(out.endsWith('netlab> telnet mail.')).toBe(true);
    expect(ed.line).toBe('telnet mail.');
  });

  it('rings the bell when there is nothing to complete, and Tab is a space where no completer answers', () => {
    const ed = shell();
    expect(output(ed.feed('telnet zzz\t'))).toBe('telnet zzz\x07');
    const raw = new LineEditor();
    raw.completer = () => null;
    expect(lines(raw.feed('a\tb\r'))).toEqual(['a b']);
  });
});
