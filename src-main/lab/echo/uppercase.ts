/** The socket chapter's server logic: `modifiedMessage = message.decode().upper()`, on bytes.
 *  Only ASCII letters change, so any byte sequence (UTF-8, binary) comes back intact otherwise. */
export function uppercase(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  for (let i = 0; i < out.length; i++) {
    const b = out[i];
    if (b >= 0x61 && b <= 0x7a) out[i] = b - 0x20;
  }
  return out;
}

/** The textbook's TCPServer reads with `recv(1024)`: one read of at most 1024 bytes. */
export const TEXTBOOK_RECV_SIZE = 1024;
