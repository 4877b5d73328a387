/**
 * The server's replies. Codes and phrases follow the sample interaction of Kurose & Ross
 * §2.3.1 (the sendmail wording), so a student typing it by hand sees what the book shows;
 * the codes are RFC 5321 §4.2.
 */
export const reply = {
  greeting: (host: string) => `220 ${host}`,
  helo: (client: string) => `250 Hello ${client}, pleased to meet you`,
  ehlo: (host: string, client: string, maxSize: number, auth = false, starttls = false) =>
    [
      `250-${host} Hello ${client}, pleased to meet you`,
      `250-SIZE ${maxSize}`,
      '250-8BITMIME',
      '250-PIPELINING',
      ...(starttls ? ['250-STARTTLS'] : []),
      ...(auth ? ['250-AUTH PLAIN LOGIN'] : []),
      '250 HELP',
    ].join('\r\n'),
  sender: (address: string) => `250 ${address} ... Sender ok`,
  recipient: (address: string) => `250 ${address} ... Recipient ok`,
  data: () => '354 Enter mail, end with "." on a line by itself',
  accepted: (id: string) => `250 Message accepted for delivery (id ${id})`,
  quit: (host: string) => `221 ${host} closing connection`,
  reset: () => '250 Reset state',
  startTls: () => '220 2.0.0 Ready to start TLS',
  /** RFC 3207 §4: STARTTLS takes no parameters; once TLS is up it is not offered again */
  startTlsRefused: (why: 'args' | 'active' | 'transaction') =>
    why === 'args' ? '501 5.5.4 Syntax: STARTTLS takes no parameters' : why === 'active' ? '503 5.5.1 TLS already active' : '503 5.5.1 STARTTLS in a mail transaction: RSET first',
  noop: () => '250 OK',
  verified: (name: string, address: string) => `250 ${name} <${address}>`,
  cannotVerify: () => '252 Cannot VRFY user, but will accept message and attempt delivery',
  help: (auth = false) =>
    ['214-Commands:', '214-  HELO EHLO MAIL RCPT DATA', `214-  RSET NOOP QUIT HELP VRFY${auth ? ' AUTH' : ''}`, '214 End of HELP info'].join('\r\n'),

  unknownCommand: (verb: string) => `500 Command unrecognized: "${verb.slice(0, 40)}"`,
  lineTooLong: (max: number) => `500 Line too long (a command line is at most ${max} bytes)`,
  syntax: (what: string) => `501 Syntax error in parameters: ${what}`,
  unknownParameter: (param: string, offered: string) =>
    `555 5.5.4 ${param.slice(0, 40)}: parameter not recognized or not implemented (offered: ${offered})`,
  controlCharacters: (command: string) => `501 Syntax error in parameters: NUL and control characters are not allowed in ${command}`,
  // as Postfix's smtpd_forbid_bare_newline = reject words it, then why and what sends CRLF (ASCII only: no "§")
  badLineEnd: (found: string, dotLine: boolean) =>
    dotLine
      ? `550 5.5.2 Error: ${found} received next to a "." line: a message ends only with <CR><LF>.<CR><LF> (RFC 5321 section 4.1.1.4; telnet and nc -C send it), message refused`
      : `550 5.5.2 Error: ${found} received: every line of a message ends in <CR><LF> (RFC 5321 section 2.3.8; telnet and nc -C send it), message refused`,
  helloFirst: () => '503 Bad sequence of commands: polite people say HELO first',
  mailFirst: () => '503 Bad sequence of commands: need MAIL before RCPT',
  nestedMail: () => '503 Bad sequence of commands: sender already specified',
  rcptFirst: () => '503 Bad sequence of commands: need RCPT (recipient) before DATA',
  notImplemented: (verb: string) => `502 ${verb} not implemented`,
  relayDenied: (address: string) =>
    `550 ${address} ... Relaying denied: NetLab relays only between its own mail domains`,
  userUnknown: (address: string) => `550 ${address} ... User unknown`,
  senderRefused: (address: string) => `550 ${address} ... Sender refused: submission is for lab users only`,
  unverifiable: (what: string) => `550 ${what.slice(0, 60)} ... User unknown`,
  tooManyRecipients: (max: number) => `452 Too many recipients (at most ${max} per message)`,
  tooBig: (max: number) => `552 Message size exceeds fixed maximum message size (${max} bytes)`,
  storageFailed: () => '451 Requested action aborted: local error in processing',
  // AUTH (RFC 4954 §4 and §6), with the enhanced status codes it specifies
  authChallenge: (b64: string) => `334 ${b64}`,
  authOk: () => '235 2.7.0 Authentication successful',
  authFailed: () => '535 5.7.8 Authentication credentials invalid',
  authCancelled: () => '501 5.7.0 Authentication cancelled',
  authNotBase64: () => '501 5.5.2 Cannot decode response: not base64',
  authSyntax: (what: string) => `501 5.5.2 Syntax error: ${what}`,
  authMechanism: (mech: string) => `504 5.5.4 Unrecognized authentication type ${mech.slice(0, 20)} (try PLAIN or LOGIN)`,
  authAlready: () => '503 5.5.1 Already authenticated',
  authInTransaction: () => '503 5.5.1 AUTH not permitted during a mail transaction',
  // a 421 may answer any command (RFC 5321 section 3.8); 4.7.0 as RFC 4954's temporary failures
  authTooMany: (host: string) => `421 4.7.0 ${host} Too many failed authentication attempts, closing transmission channel`,
  authLockedOut: (host: string, address: string, wait: string) =>
    `421 4.7.0 ${host} Too many failed authentication attempts from ${address}, try again in ${wait}, closing transmission channel`,
  closing: (host: string, why: string) => `421 ${host} ${why}, closing transmission channel`,
};
