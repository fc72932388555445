/** A VM's public addresses: distinct NIC IPs outside RFC 1918 (and loopback, link-local; IPv6 unique-local), as oneacct-export counts them. */
import { isIP } from 'node:net';

function isPrivateV4(ip: string): boolean {
  const [a, b] = ip.split('.').map(Number) as [number, number];
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a === 127 || (a === 169 && b === 254);
}

function isPrivateV6(ip: string): boolean {
  const first = ip.toLowerCase().split(':')[0] ?? '';
  return ip === '::1' || /^f[cd]/.test(first) || /^fe[89ab]/.test(first);
}

/** The public addresses among `ips`, each once, in first-seen order; text that is no address is skipped. */
export function publicAddresses(ips: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const raw of ips) {
    const ip = raw.trim();
    const v = isIP(ip);
    if (v === 4 ? isPrivateV4(ip) : v === 6 ? isPrivateV6(ip) : true) continue;
    seen.add(ip);
  }
  return [...seen];
}
