/**
 * Which listen addresses count as loopback: `localhost`, 127.0.0.0/8, `::1` and
 * IPv4-mapped loopback. Only there may a transport run without authentication by default:
 * nothing off the machine can reach it. A host name other than `localhost` is not
 * loopback (it could resolve anywhere), and neither are the wildcards `0.0.0.0` and `::`.
 */
import net from 'node:net';

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** Whether `host` (an IP literal or a host name) is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const family = net.isIP(host);
  if (family === 0) return false;
  return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}
