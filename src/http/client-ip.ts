import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** The peers (load balancers, reverse proxies) whose X-Forwarded-For is believed. */
export interface TrustedProxies {
  /** Whether `ip` (already normalised) is one of the trusted proxies. */
  has(ip: string): boolean;
  readonly size: number;
}

/** `::ffff:10.0.0.1` (IPv4 on a dual-stack socket) compares as `10.0.0.1`. */
export function normaliseIp(ip: string): string {
  const trimmed = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed);
  return mapped ? mapped[1]! : trimmed;
}

function family(ip: string): 'ipv4' | 'ipv6' | undefined {
  const version = isIP(ip);
  return version === 4 ? 'ipv4' : version === 6 ? 'ipv6' : undefined;
}

/** Parses `10.0.0.1, 10.1.0.0/16, ::1` (IPs and CIDRs, IPv4 or IPv6). Throws on an entry that is neither. */
export function parseTrustedProxies(list: string): TrustedProxies {
  const blocks = new BlockList();
  let size = 0;
  for (const entry of list.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [address = '', prefixText] = entry.split('/');
    const ip = normaliseIp(address);
    const type = family(ip);
    if (!type) throw new Error(`"${entry}" is not an IP address or CIDR`);
    if (prefixText === undefined) {
      blocks.addAddress(ip, type);
    } else {
      const prefix = Number(prefixText);
      const max = type === 'ipv4' ? 32 : 128;
      if (!/^\d+$/.test(prefixText) || prefix > max) throw new Error(`"${entry}": prefix must be 0-${max}`);
      blocks.addSubnet(ip, prefix, type);
    }
    size += 1;
  }
  return {
    size,
    has(ip) {
      const type = family(ip);
      return size > 0 && type !== undefined && blocks.check(ip, type);
    },
  };
}

/**
 * The client's address. X-Forwarded-For is read only when the TCP peer is a
 * trusted proxy, and from the right: each trusted hop is skipped, and the
 * first untrusted address is the client (entries left of it could be forged).
 */
export function clientIp(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustedProxies: TrustedProxies): string {
  const peer = normaliseIp(req.socket.remoteAddress ?? 'unknown');
  if (!trustedProxies.has(peer)) return peer;
  const header = req.headers['x-forwarded-for'];
  const hops = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((hop) => normaliseIp(hop))
    .filter(Boolean);
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i -= 1) {
    const hop = hops[i]!;
    // Garbage in the header: stop at the last address a trusted proxy vouched for.
    if (!family(hop)) return client;
    client = hop;
    if (!trustedProxies.has(hop)) return hop;
  }
  return client;
}
