/**
 * One keep-alive HTTP/1.1 connection that sends one request at a time: the load generator's
 * client. It writes each request as one buffer and reads just enough of the answer (status,
 * `content-length` or chunked body) to know where it ends. Node's `http` client costs about
 * four times the CPU per request of a no-op Node server on this 2-core machine (it capped that
 * server at 15-18k requests/s where this reaches 55-75k), so with it the benchmark measured its
 * own client more than the servers; this one leaves the CPU to the systems under test.
 */
import net from 'node:net';

const HEADER_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');

/** Where an answer ends in `buf`, and its status; undefined while it is incomplete. */
export function parseAnswer(buf: Buffer): { status: number; end: number } | undefined {
  const head = buf.indexOf(HEADER_END);
  if (head < 0) return undefined;
  const text = buf.toString('latin1', 0, head);
  const status = Number(text.slice(9, 12));
  if (!Number.isInteger(status) || !text.startsWith('HTTP/1.'))
    throw new Error(`not an HTTP answer: ${text.slice(0, 40)}`);
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(text);
  if (length) {
    const end = head + 4 + Number(length[1]);
    return buf.length >= end ? { status, end } : undefined;
  }
  if (!/\r\ntransfer-encoding:\s*chunked/i.test(text)) return { status, end: head + 4 };
  // Chunked: size line, data, CRLF; a zero-size chunk then the (empty) trailer ends it.
  let at = head + 4;
  for (;;) {
    const line = buf.indexOf(CRLF, at);
    if (line < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, line), 16);
    if (!Number.isInteger(size)) throw new Error('bad chunk size');
    at = line + 2 + size + 2;
    if (buf.length < at) return undefined;
    if (size === 0) return { status, end: at };
  }
}

export class HttpConnection {
  readonly #socket: net.Socket;
  readonly #hostHeader: string;
  #buffer: Buffer = Buffer.alloc(0);
  #pending: { resolve: (status: number) => void; reject: (e: Error) => void } | undefined;
  #timer: NodeJS.Timeout | undefined;
  #failure: Error | undefined;

  /**
   * @param answerTimeoutMs how long an answer may take before the request fails and the
   *   connection is dropped (a server that stalls must not stall the load forever).
   */
  constructor(
    host: string,
    port: number,
    private readonly answerTimeoutMs = 10_000,
  ) {
    this.#hostHeader = `${host}:${port}`;
    this.#socket = net.connect({ host, port, noDelay: true });
    this.#socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    this.#socket.on('error', (e) => this.#fail(e));
    this.#socket.on('close', () => this.#fail(new Error('connection closed')));
  }

  /**
   * Send one request; resolves with the answer's status once the whole answer is read, and
   * rejects (dropping the connection) when none is read within `answerTimeoutMs`.
   */
  send(method: string, path: string, body?: Buffer): Promise<number> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (this.#pending) return Promise.reject(new Error('one request at a time'));
    const head = `${method} ${path} HTTP/1.1\r\nhost: ${this.#hostHeader}\r\ncontent-length: ${body?.length ?? 0}\r\n${body ? 'content-type: application/octet-stream\r\n' : ''}\r\n`;
    this.#socket.write(body ? Buffer.concat([Buffer.from(head, 'latin1'), body]) : head);
    this.#timer = setTimeout(() => {
      this.#fail(new Error(`no answer within ${this.answerTimeoutMs} ms`));
      this.#socket.destroy();
    }, this.answerTimeoutMs);
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject };
    });
  }

  /** False once the connection failed or the server closed it (after an answer, say). */
  get open(): boolean {
    return this.#failure === undefined;
  }

  close(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    let answer: ReturnType<typeof parseAnswer>;
    try {
      answer = parseAnswer(this.#buffer);
    } catch (e) {
      this.#fail(e as Error);
      this.#socket.destroy();
      return;
    }
    if (!answer) return;
    this.#buffer = this.#buffer.subarray(answer.end);
    this.#settle()?.resolve(answer.status);
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    this.#settle()?.reject(e);
  }

  /** The request waiting for its answer, if any, no longer waiting. */
  #settle(): { resolve: (status: number) => void; reject: (e: Error) => void } | undefined {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const pending = this.#pending;
    this.#pending = undefined;
    return pending;
  }
}

/**
 * Split `http://host:port/path` into its origin and path, with string operations only: it
 * runs once per request of the load.
 */
export function splitUrl(url: string): { origin: string; path: string } {
  if (!url.startsWith('http://')) throw new Error(`only http: URLs: ${url}`);
  const slash = url.indexOf('/', 'http://'.length);
  return slash < 0 ? { origin: url, path: '/' } : { origin: url.slice(0, slash), path: url.slice(slash) };
}

/** One client of the load: a keep-alive connection per server it talks to, opened again after a failure. */
export class LoadClient {
  readonly #connections = new Map<string, HttpConnection>();

  /** Send `method` to `url`; resolves with the answer's status. */
  async send(method: string, url: string, body?: Buffer): Promise<number> {
    const { origin, path } = splitUrl(url);
    let connection = this.#connections.get(origin);
    if (!connection?.open) {
      connection?.close();
      const { hostname, port } = new URL(origin);
      connection = new HttpConnection(hostname.replace(/^\[|\]$/g, ''), Number(port || 80));
      this.#connections.set(origin, connection);
    }
    try {
      return await connection.send(method, path, body);
    } catch (error) {
      connection.close();
      this.#connections.delete(origin);
      throw error;
    }
  }

  close(): void {
    for (const c of this.#connections.values()) c.close();
    this.#connections.clear();
  }
}
