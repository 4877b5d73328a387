/** The softphones' log lines the lab core sends (VoIP tab; RFC 3261), as catalogue messages (src-main/lab/lab-text.ts explains). */
import type { LabTextEntry } from '../lab-text';

export const VOIP_LAB_TEXT = {
  'voipLab.log.proxyDown': { en: () => 'the SIP proxy is not running', example: {} },
  'voipLab.log.registerSent': { en: (p) => `REGISTER sent (Expires ${p.expires})`, example: { expires: 3600 } },
  'voipLab.log.unregisterSent': { en: () => 'REGISTER sent (Expires 0: unregister)', example: {} },
  'voipLab.log.inviteSent': { en: (p) => `INVITE sip:${p.target} sent, with an SDP offer (RTP to port ${p.port})`, example: { target: 'bob@voip.example', port: 31852 } },
  'voipLab.log.answered': { en: () => '200 OK sent with the SDP answer: media flows', example: {} },
  'voipLab.log.declined': { en: () => 'declined: 486 Busy Here sent', example: {} },
  'voipLab.log.cancelSent': { en: () => 'CANCEL sent', example: {} },
  'voipLab.log.byeSent': { en: () => 'BYE sent', example: {} },
  'voipLab.log.noAudio': { en: () => 'no audio stream in the SDP: no media', example: {} },
  'voipLab.log.registered': { en: (p) => `registered: 200 OK, the proxy knows ${p.aor} at 127.0.0.1:${p.port}`, example: { aor: 'alice@voip.example', port: 31850 } },
  'voipLab.log.unregistered': { en: () => 'unregistered: the binding is gone', example: {} },
  'voipLab.log.registerRefused': { en: (p) => `REGISTER refused: ${p.status} ${p.reason}`, example: { status: 403, reason: 'Forbidden' } },
  'voipLab.log.ringing': { en: (p) => `${p.status} ${p.reason}: ${p.peer} is ringing`, example: { status: 180, reason: 'Ringing', peer: 'bob@voip.example' } },
  'voipLab.log.established': { en: () => '200 OK with the SDP answer; ACK sent: media flows', example: {} },
  'voipLab.log.callFailed': { en: (p) => `call failed: ${p.status} ${p.reason}`, example: { status: 486, reason: 'Busy Here' } },
  'voipLab.log.incoming': { en: (p) => `INVITE from ${p.from}: ringing (180 sent)`, example: { from: 'alice@voip.example' } },
  'voipLab.log.callerCancelled': { en: () => 'the caller cancelled: 487 sent', example: {} },
  'voipLab.log.byeReceived': { en: () => 'BYE received: 200 OK sent, call over', example: {} },
} satisfies Record<string, LabTextEntry>;
