import { defineStore } from 'pinia';
import { computed, ref, watch } from 'vue';
import { lab, errorMessage } from '../api';
import type { ProgramId, ProgramInfo, ProgramLanguage, ProgramOutput, ProgramSource, ProgramState } from '../api/types';

export type ProgramKey = `${ProgramId}:${ProgramLanguage}`;
export const programKey = (id: ProgramId, language: ProgramLanguage): ProgramKey => `${id}:${language}`;

export interface ConsoleLine {
  n: number;
  stream: ProgramOutput['stream'];
  text: string;
}

const MAX_LINES = 5000;
const CHOICE_KEY = 'netlab.programs.v1';
const IDS: readonly ProgramId[] = ['udp-client', 'udp-server', 'tcp-client', 'tcp-server', 'udp-pinger', 'web-server', 'smtp-client', 'web-proxy'];

/** The program and language picked last time; at first, the textbook's Python (§2.7). */
function loadChoice(): { id: ProgramId; language: ProgramLanguage } {
  try {
    const raw = JSON.parse(localStorage.getItem(CHOICE_KEY) ?? '{}') as { id?: unknown; language?: unknown };
    const id = IDS.find((x) => x === raw.id) ?? 'udp-client';
    return { id, language: raw.language === 'javascript' ? 'javascript' : 'python' };
  } catch {
    return { id: 'udp-client', language: 'python' };
  }
}

/** The echo programs of the Scenarios view: list, sources, runs and their consoles. */
export const useProgramsStore = defineStore('programs', () => {
  const list = ref<ProgramInfo[]>([]);
  const saved = loadChoice();
  const selectedId = ref<ProgramId>(saved.id);
  const language = ref<ProgramLanguage>(saved.language);
  watch([selectedId, language], () => {
    try {
      localStorage.setItem(CHOICE_KEY, JSON.stringify({ id: selectedId.value, language: language.value }));
    } catch {
      // not remembered, no harm
    }
  });
  const sources = ref<Partial<Record<ProgramKey, ProgramSource>>>({});
  const consoles = ref<Partial<Record<ProgramKey, ConsoleLine[]>>>({});
  const error = ref<string | null>(null);
  let lineNo = 0;
  let subscribed = false;

  const selectedKey = computed(() => programKey(selectedId.value, language.value));
  const selected = computed(() => list.value.find((p) => p.id === selectedId.value && p.language === language.value));
  /** One entry per program id (the language toggle picks the variant). */
  const ids = computed(() => {
    const seen = new Map<ProgramId, ProgramInfo>();
    for (const p of list.value) if (!seen.has(p.id) || p.language === language.value) seen.set(p.id, p);
    return [...seen.values()];
  });

  function push(key: ProgramKey, stream: ConsoleLine['stream'], text: string): void {
    const lines = consoles.value[key] ?? [];
    lines.push({ n: ++lineNo, stream, text });
    if (lines.length > MAX_LINES) lines.splice(0, lines.length - MAX_LINES);
    consoles.value[key] = lines;
  }

  function patch(id: ProgramId, lang: ProgramLanguage, change: Partial<ProgramInfo>): void {
    const p = list.value.find((x) => x.id === id && x.language === lang);
    if (p) Object.assign(p, change);
  }

  function subscribe(): void {
    if (subscribed) return;
    subscribed = true;
    lab.on('program.output', (o: ProgramOutput) => push(programKey(o.id, o.language), o.stream, o.text));
    lab.on('program.state', (s: ProgramState) => patch(s.id, s.language, { running: s.running }));
  }

  async function load(): Promise<void> {
    subscribe();
    try {
      list.value = await lab.call('programs.list');
      error.value = null;
    } catch (err) {
      error.value = errorMessage(err);
    }
  }

  async function read(id: ProgramId, lang: ProgramLanguage, force = false): Promise<ProgramSource> {
    const key = programKey(id, lang);
    const cached = sources.value[key];
    if (cached && !force) return cached;
    const src = await lab.call('programs.read', id, lang);
    sources.value[key] = src;
    return src;
  }

  function remember(src: ProgramSource): void {
    sources.value[programKey(src.id, src.language)] = src;
    patch(src.id, src.language, { modified: src.modified });
  }

  async function save(id: ProgramId, lang: ProgramLanguage, text: string): Promise<ProgramSource> {
    const src = await lab.call('programs.save', id, lang, text);
    remember(src);
    return src;
  }

  async function reset(id: ProgramId, lang: ProgramLanguage): Promise<ProgramSource> {
    const src = await lab.call('programs.reset', id, lang);
    remember(src);
    return src;
  }

  async function run(id: ProgramId, lang: ProgramLanguage): Promise<void> {
    // A refusal (python missing, port taken) rejects; the lab also notes it in the console.
    const s = await lab.call('programs.run', id, lang);
    patch(id, lang, { running: s.running });
  }

  async function stop(id: ProgramId, lang: ProgramLanguage): Promise<void> {
    const s = await lab.call('programs.stop', id, lang);
    patch(id, lang, { running: s.running });
  }

  async function stdin(id: ProgramId, lang: ProgramLanguage, line: string): Promise<void> {
    await lab.call('programs.stdin', id, lang, line);
  }

  function clearConsole(key: ProgramKey): void {
    consoles.value[key] = [];
  }

  return {
    list,
    ids,
    selectedId,
    language,
    selectedKey,
    selected,
    sources,
    consoles,
    error,
    load,
    read,
    save,
    reset,
    run,
    stop,
    stdin,
    clearConsole,
  };
});
