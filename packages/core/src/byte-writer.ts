/**
 * `ByteWriter`: a growing big-endian byte buffer for the small binary formats of the core
 * (client sessions in snapshots) and of drivers (raft-io's result codec). Numbers are written
 * unchecked: callers validate what they encode.
 */

const U32 = 0x1_0000_0000;

export class ByteWriter {
  private buf = new Uint8Array(64);
  private view = new DataView(this.buf.buffer);
  /** Bytes written so far. */
  length = 0;

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void {
    this.room(1);
    this.buf[this.length++] = v;
  }

  u32(v: number): void {
    this.room(4);
    this.view.setUint32(this.length, v);
    this.length += 4;
  }

  /** A non-negative safe integer as two u32 (high, low). */
  u53(v: number): void {
    this.u32(Math.floor(v / U32));
    this.u32(v % U32);
  }

  f64(v: number): void {
    this.room(8);
    this.view.setFloat64(this.length, v);
    this.length += 8;
  }

  /** One byte per character: only for ASCII text. */
  ascii(text: string): void {
    this.room(text.length);
    for (let i = 0; i < text.length; i++) this.buf[this.length++] = text.charCodeAt(i);
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** A copy of what was written. */
  finish(): Uint8Array {
    return this.buf.slice(0, this.length);
  }
}
