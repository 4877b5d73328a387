import { ref } from 'vue';

/** The services seen in the capture, for the inspector's filter dropdown, kept as rows arrive
 *  (a cleared capture keeps them: the dropdown still offers what was there). */
export function useSeenServices() {
  const seenServices = ref<string[]>([]);
  const serviceSet = new Set<string>();
  function noteService(name: string): void {
    if (serviceSet.has(name)) return;
    serviceSet.add(name);
    seenServices.value = [...serviceSet].sort();
  }
  return { seenServices, noteService };
}
