/**
 * Encode two messages as frames, split the bytes at an awkward place, and decode them back
 * with a streaming FrameDecoder; then the same with authenticated frames under a session
 * key. Run: npx tsx --conditions=@raft-io/source examples/round-trip.ts
 */
import { randomBytes } from 'node:crypto';
import type { Message } from '@raft-io/core';
import {
  decodeMessage,
  encodeFrame,
  encodeMessage,
  FrameAuthenticator,
  FrameDecoder,
  FrameVerifier,
  FramingError,
} from '@raft-io/framing';

const append: Message = {
  type: 'append-entries',
  from: 1,
  to: 2,
  term: 3,
  prevLogIndex: 9,
  prevLogTerm: 2,
  entries: [{ index: 10, term: 3, type: 'command', data: new TextEncoder().encode('set x=1') }],
  commit: 9,
};
const heartbeat: Message = { type: 'heartbeat', from: 1, to: 2, term: 3, commit: 10, context: 0 };

// A message on its own: protobuf bytes and back.
const bytes = encodeMessage(append);
console.log(`append-entries: ${bytes.length} bytes`, decodeMessage(bytes));

// Frames on a stream: any chunking decodes to the same frames.
const stream = Buffer.concat([encodeFrame(42, append), encodeFrame(42, heartbeat)]);
const decoder = new FrameDecoder({ maxFrameBytes: 1024 * 1024 });
for (const chunk of [stream.subarray(0, 7), stream.subarray(7, 50), stream.subarray(50)]) {
  decoder.push(chunk, (frame) => {
    if (frame.kind === 'message')
      console.log(`cluster ${frame.clusterId}: ${frame.message.type} (${frame.frameBytes} bytes)`);
  });
}
decoder.end();

// Bad bytes throw FramingError with a stable code and reason; the decoder is then poisoned.
try {
  new FrameDecoder().push(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'), () => {});
} catch (error) {
  if (error instanceof FramingError) console.log(`refused: ${error.code} ${error.reason}`);
}

// Authenticated frames: both ends hold the same session key (a transport derives one per
// connection from its handshake). A frame sealed under another key, replayed or changed is refused.
const key = randomBytes(32);
const sender = new FrameAuthenticator(key);
const receiver = new FrameDecoder();
receiver.authenticate(new FrameVerifier(key));
const sealed = sender.seal(encodeFrame(42, heartbeat));
receiver.push(sealed, (frame) => console.log(`authenticated: ${frame.kind} (${frame.frameBytes} bytes)`));
try {
  receiver.push(sealed, () => {}); // the same frame again: a replay
} catch (error) {
  if (error instanceof FramingError) console.log(`refused: ${error.code} ${error.reason}`); // bad-tag
}
