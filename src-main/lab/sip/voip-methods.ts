/** The VoIP tab's part of the lab API: each method hands over to the VoipArea. */
import type { AreaMethods } from '../api';
import type { VoipArea } from './voip-area';

export function voipMethods(voip: () => VoipArea): AreaMethods<'voip'> {
  return {
    'voip.state': async () => voip().state(),
    'voip.register': async (aor, on) => voip().register(aor, on),
    'voip.call': async (from, to) => voip().call(from, to),
    'voip.answer': async (aor) => voip().answer(aor),
    'voip.hangup': async (aor) => voip().hangup(aor),
    'voip.playout': async (settings) => voip().setPlayout(settings),
  };
}
