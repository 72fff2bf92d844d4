/**
 * A hostile HTTP client over a raw socket (`net.connect`): it writes whatever bytes it is
 * told, when it is told (a header a byte at a time, a body that stops half way, nothing at
 * all), records what the server answers, and knows when the server closed it.
 */
import net from 'node:net';

export class HostileSocket {
  /** Everything the server sent, as latin1 text. */
  received = '';
  /** Whether the connection is closed (by the server, or by `destroy`). */
  isClosed = false;
  /** Resolves once the connection is closed. */
  readonly closed: Promise<void>;
  private readonly socket: net.Socket;
  private dribble: NodeJS.Timeout | undefined;

  private constructor(socket: net.Socket) {
    this.socket = socket;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      this.received += chunk;
    });
    // A reset from the server is one way of being closed; the test reads `isClosed`.
    socket.on('error', () => {});
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.isClosed = true;
        if (this.dribble) clearInterval(this.dribble);
        resolve();
      });
    });
  }

  /** Connect to 127.0.0.1:`port`; resolves once connected (or already closed by the server). */
  static connect(port: number): Promise<HostileSocket> {
    return new Promise((resolve) => {
      const socket = net.connect({ host: '127.0.0.1', port });
      const hostile = new HostileSocket(socket);
      socket.once('connect', () => resolve(hostile));
      socket.once('close', () => resolve(hostile));
    });
  }

  /** The status code of the first answer, or null before one arrived. */
  get status(): number | null {
    const m = /^HTTP\/1\.1 (\d{3})/.exec(this.received);
    return m ? Number(m[1]) : null;
  }

  /** The JSON error code in the answer, if any. */
  get errorCode(): string | null {
    const m = /"code":"([A-Z_]+)"/.exec(this.received);
    return m ? m[1]! : null;
  }

  write(data: string | Uint8Array): void {
    if (!this.isClosed) this.socket.write(data);
  }

  /** Write `text` one byte every `everyMs`, looping, until the connection closes. */
  dribbleForever(text: string, everyMs: number): void {
    let i = 0;
    this.dribble = setInterval(() => this.write(text[i++ % text.length]!), everyMs);
  }

  destroy(): void {
    if (this.dribble) clearInterval(this.dribble);
    this.socket.destroy();
  }
}

/** Headers of a request whose body follows (or never does). */
export function putHead(path: string, contentLength: number | 'chunked'): string {
  const length =
    contentLength === 'chunked' ? 'Transfer-Encoding: chunked' : `Content-Length: ${contentLength}`;
  return `PUT ${path} HTTP/1.1\r\nHost: kv\r\n${length}\r\n\r\n`;
}

/** One chunk of a chunked body. */
export function chunk(bytes: number): string {
  return `${bytes.toString(16)}\r\n${'x'.repeat(bytes)}\r\n`;
}
