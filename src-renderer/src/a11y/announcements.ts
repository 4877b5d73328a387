/**
 * What the stores' notices and errors say through the live regions (announce.ts): "Saved …",
 * "Applied …", an area's error. A view's own notices (the echo programs' editor, an opened
 * file) call useAnnounced where they live.
 */
import { useAnnounced, noticeSaid } from './announce';
import { useLabScenariosStore } from '../stores/labScenarios';
import { useLabEditorStore } from '../stores/labEditor';
import { useDnsStore } from '../stores/dns';
import { useWebStore } from '../stores/web';
import { useMailStore } from '../stores/mail';
import { useLabsStore } from '../stores/labs';
import { useCaptureStore } from '../stores/capture';
import { useSwarmStore } from '../stores/swarm';
import { useDhtStore } from '../stores/dht';

export function useAppAnnouncements(): void {
  const labScenarios = useLabScenariosStore();
  const labEditor = useLabEditorStore();
  const dns = useDnsStore();
  useAnnounced(() => labScenarios.notice, noticeSaid);
  useAnnounced(() => labEditor.notice, noticeSaid);
  useAnnounced(() => dns.savedNote, (t) => t || null);
  const errors = [dns, useWebStore(), useMailStore(), useLabsStore(), useCaptureStore(), useSwarmStore(), useDhtStore()];
  for (const store of errors) useAnnounced(() => store.error, (e) => (e ? { text: e, urgency: 'assertive' } : null));
}
