/** The softphones' log lines the lab core sends (src-main/lab/lab-text.ts lists the keys; the English must match it). */
export default {
  log: {
    proxyDown: 'the SIP proxy is not running',
    registerSent: 'REGISTER sent (Expires {expires})',
    unregisterSent: 'REGISTER sent (Expires 0: unregister)',
    inviteSent: 'INVITE sip:{target} sent, with an SDP offer (RTP to port {port})',
    answered: '200 OK sent with the SDP answer: media flows',
    declined: 'declined: 486 Busy Here sent',
    cancelSent: 'CANCEL sent',
    byeSent: 'BYE sent',
    noAudio: 'no audio stream in the SDP: no media',
    registered: 'registered: 200 OK, the proxy knows {aor} at 127.0.0.1:{port}',
    unregistered: 'unregistered: the binding is gone',
    registerRefused: 'REGISTER refused: {status} {reason}',
    ringing: '{status} {reason}: {peer} is ringing',
    established: '200 OK with the SDP answer; ACK sent: media flows',
    callFailed: 'call failed: {status} {reason}',
    incoming: 'INVITE from {from}: ringing (180 sent)',
    callerCancelled: 'the caller cancelled: 487 sent',
    byeReceived: 'BYE received: 200 OK sent, call over',
  },
};
