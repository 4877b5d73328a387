/** What the VoIP tab shows of the two softphones (sip/softphone.ts) and their media. */
import type { PlayoutSettings, ReceiverPoint, ReceiverTotals } from './playout';

export type { PlayoutMode, PlayoutSettings, ReceiverPoint, ReceiverTotals } from './playout';

export type PhoneState = 'unregistered' | 'registered' | 'calling' | 'ringing' | 'incoming' | 'in-call';

export interface PhoneView {
  aor: string;
  name: string;
  /** its SIP port and RTP port on 127.0.0.1 */
  port: number;
  rtpPort: number;
  state: PhoneState;
  /** the last things it did, oldest first */
  log: string[];
  peer: string | null;
  /** RTP packets it sent in the current or last call */
  sent: number;
  /** what its receiver made of the other side's stream */
  received: ReceiverTotals | null;
  points: ReceiverPoint[];
  playout: PlayoutSettings;
  /** the last RTCP receiver report the other side sent about this phone's stream */
  lastReport: string | null;
}

export interface VoipState {
  running: boolean;
  /** the proxy's port (the lab's :5060) */
  proxyPort: number;
  phones: PhoneView[];
  /** the registrar's bindings */
  bindings: { aor: string; contact: string; expiresIn: number }[];
  /** the SIP service's link (loss and jitter apply to RTP too) */
  link: { lossRate: number; delayMs: number; jitterMs: number };
}
