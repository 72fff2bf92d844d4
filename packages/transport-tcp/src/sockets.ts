/** Small socket helpers shared by the inbound and outbound sides. */
import type net from 'node:net';
import type { SocketOptions } from './options.js';

/** Applies the pass-through socket options. */
export function applySocketOptions(socket: net.Socket, options: Required<SocketOptions>): void {
  socket.setNoDelay(options.noDelay);
  socket.setKeepAlive(options.keepAlive, options.keepAliveInitialDelayMs);
}

/** `host:port` of the other end, for logs. */
export function remoteOf(socket: net.Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

const closeEvents = new WeakMap<net.Socket, Promise<void>>();

/**
 * Starts watching `socket` for its 'close' event; call it as soon as the socket exists.
 * (`socket.closed` will not do: it turns true at `destroy()`, before the handle is released.)
 */
export function watchClose(socket: net.Socket): void {
  if (!closeEvents.has(socket))
    closeEvents.set(socket, new Promise((resolve) => socket.once('close', () => resolve())));
}

/** Resolves once `socket` has emitted 'close' and its handle is released. */
export function whenClosed(socket: net.Socket): Promise<void> {
  watchClose(socket);
  return closeEvents.get(socket)!;
}
