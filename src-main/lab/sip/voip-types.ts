/** What the VoIP tab shows of the two softphones (sip/softphone.ts) and their media. */
import type { LabText } from '../lab-text';
export type PlayoutMode = 'fixed' | 'adaptive';

export interface PlayoutSettings {
  mode: PlayoutMode;
  /** fixed playout delay q, ms */
  fixedMs: number;
}

export interface ReceiverPoint {
  /** seconds since the stream began */
  t: number;
  expected: number;
  received: number;
  lost: number;
  late: number;
  /** RFC 3550 interarrival jitter at the end of the second, ms */
  jitterMs: number;
  /** the playout delay q in force, ms */
  playoutMs: number;
  /** mean one-way network delay of the second's packets, ms */
  delayMs: number;
}

export interface ReceiverTotals {
  received: number;
  expected: number;
  lost: number;
  late: number;
  jitterMs: number;
  playoutMs: number;
}


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
  /** each log line's catalogue key and parameters, for the UI's language */
  logText?: LabText[];
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
