/**
 * The installed app as the `netlab` command: which launches run a command without a window
 * (`netlab serve`, `--serve` from a desktop entry, `netlab lab list`), which open the window (no
 * argument, a file, Electron's flags), and a command run through the app's entry with
 * `electron` stubbed as packaged: it prints, exits with its status and opens no window.
 */
import { describe, expect, it, vi } from 'vitest';
import { cliModeArgs, keepsRunning } from '../../../src-main/desktop/cli-mode';
import { state, StubWindow } from '../../helpers/electron-stub';

vi.mock('electron', async () => (await import('../../helpers/electron-stub')).electronModule);

describe('the installed app as the netlab command', () => {
  it('tells commands from window launches', () => {
    expect(cliModeArgs(['/opt/NetLab/netlab', 'serve', '--no-open'], true)).toEqual(['serve', '--no-open']);
    expect(cliModeArgs(['/opt/NetLab/netlab', '--serve'], true)).toEqual(['serve']);
    expect(cliModeArgs(['NetLab.exe', '--swarm', 'a.yaml', '--json'], true)).toEqual(['swarm', 'a.yaml', '--json']);
    expect(cliModeArgs(['electron', '.', 'lab', 'run', 'x.yaml'], false)).toEqual(['lab', 'run', 'x.yaml']);
    expect(cliModeArgs(['/opt/NetLab/netlab', '--version'], true)).toEqual(['--version']);
    for (const argv of [['/opt/NetLab/netlab'], ['/opt/NetLab/netlab', 'week3.netlab'], ['/opt/NetLab/netlab', '--devtools'], ['electron', '.'], ['/opt/NetLab/netlab', '--no-sandbox', 'serve']]) {
      expect(cliModeArgs(argv, argv[0] !== 'electron'), argv.join(' ')).toBeNull();
    }
    expect(keepsRunning(['serve'])).toBe(true);
    expect(keepsRunning(['lab', 'list'])).toBe(false);
  });

  it('`netlab lab list --json` through the app entry: the shipped labs, exit 0, no window', async () => {
    state.packaged = true;
    process.argv = ['/opt/NetLab/netlab', 'lab', 'list', '--json'];
    const printed: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void printed.push(a.join(' ')));
    // lab list ends the process itself: the first exit is its status (the stub cannot stop the
    // code after it, so it throws, and what the entry does with that afterwards is not asked)
    const exit = vi.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      state.exits.push(code ?? 0);
      throw new Error('exited');
    }) as never);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await import('../../../src-main/app-entry');
    await vi.waitFor(() => expect(state.exits[0]).toBe(0), { timeout: 15_000 });
    log.mockRestore();
    exit.mockRestore();
    err.mockRestore();
    const labs = JSON.parse(printed.join('\n')) as Array<{ file: string }>;
    expect(labs.map((l) => l.file)).toContain('dns.yaml');
    expect(StubWindow.all).toHaveLength(0);
  });
});
