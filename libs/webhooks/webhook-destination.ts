import { lookup } from 'node:dns/promises';
import ipaddr from 'ipaddr.js';

/**
 * Where a webhook may send: only to public unicast addresses, unless an operator allow-lists an
 * internal network (`WEBHOOK_ALLOWED_NETWORKS`). A webhook URL is chosen by an admin account, so
 * without this rule a stolen or careless admin could make the worker POST to 127.0.0.1, to the
 * cloud metadata service (169.254.169.254) or to private services, and read their answers (status,
 * timing, refusals) back from the delivery log.
 */

/** One allow-listed network: an address and its prefix length. */
export type AllowedNetwork = readonly [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * Parses allow-list entries: addresses (`10.1.2.3`, `::1`) and CIDR blocks (`10.0.0.0/8`,
 * `fd00::/8`). Throws on anything else; the config validates the same strings with
 * `allowedNetworkProblem` first.
 */
export function parseAllowedNetworks(entries: readonly string[]): AllowedNetwork[] {
  return entries.map((entry) => {
    const problem = allowedNetworkProblem(entry);
    if (problem) throw new Error(`${entry}: ${problem}`);
    return entry.includes('/')
      ? ipaddr.parseCIDR(entry)
      : ([ipaddr.parse(entry), ipaddr.parse(entry).kind() === 'ipv4' ? 32 : 128] as const);
  });
}

/** Why an allow-list entry is not one, or undefined when it is. */
export function allowedNetworkProblem(entry: string): string | undefined {
  if (entry.includes('/')) {
    if (!ipaddr.isValidCIDR(entry)) return 'is not an address or a CIDR block';
    if (ipaddr.parseCIDR(entry)[1] === 0) return 'would allow every address';
    return undefined;
  }
  // isValid accepts shorthand forms such as "10.1" or "0x7f.1"; only the four-part dotted
  // decimal form of IPv4 (and any IPv6 form) is taken, so that an entry means what it reads as.
  if (ipaddr.IPv6.isValid(entry) || ipaddr.IPv4.isValidFourPartDecimal(entry)) return undefined;
  return 'is not an address or a CIDR block';
}

/**
 * What the rule says about one address: `allowed`, or the IANA special-purpose range that refuses
 * it (`loopback`, `private`, `linkLocal`, `carrierGradeNat`, `uniqueLocal`, `multicast`,
 * `unspecified`, `broadcast`, `reserved`, …, as ipaddr.js names them). IPv4-mapped IPv6 addresses
 * (`::ffff:127.0.0.1`) are judged as the IPv4 address they carry. Pure: no lookup.
 */
export type AddressVerdict =
  { allowed: true; address: string; family: 4 | 6 } | { allowed: false; range: string };

export function webhookAddressVerdict(
  address: string,
  allowed: readonly AllowedNetwork[] = [],
): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, range: 'invalid' };
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  }
  const family = ip.kind() === 'ipv4' ? 4 : 6;
  const pinned = { allowed: true as const, address: ip.toString(), family: family as 4 | 6 };
  if (allowed.some((network) => inNetwork(ip, network))) return pinned;
  const range = ip.range();
  // Only global unicast: every special-purpose range (NAT64, 6to4, Teredo, documentation and
  // benchmarking blocks included) may reach somewhere we cannot judge.
  return range === 'unicast' ? pinned : { allowed: false, range };
}

function inNetwork(ip: ipaddr.IPv4 | ipaddr.IPv6, [net, bits]: AllowedNetwork): boolean {
  // An allow-listed ::ffff:10.0.0.0/104 means 10.0.0.0/8: addresses are judged unmapped.
  if (net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
    return inNetwork(ip, [(net as ipaddr.IPv6).toIPv4Address(), bits - 96]);
  }
  return ip.kind() === net.kind() && ip.match(net, bits);
}

/** Resolves a host name to all its addresses (a test passes its own). */
export type ResolveHost = (hostname: string) => Promise<{ address: string; family: number }[]>;

/** The system resolver (getaddrinfo, as the HTTP client itself would use): every address. */
export const systemResolver: ResolveHost = (hostname) =>
  lookup(hostname, { all: true, verbatim: true });

/**
 * The address a webhook request goes to, checked: `refused` when the URL's host is, or resolves
 * to, an address the rule refuses (any of them, when the name has several), `unresolved` when the
 * name does not resolve (now). The caller connects to `address` and nowhere else, so a second
 * lookup (a DNS rebind) cannot swap the checked address for another.
 */
export type WebhookDestination =
  | { kind: 'allowed'; address: string; family: 4 | 6 }
  | { kind: 'refused'; reason: string }
  | { kind: 'unresolved'; reason: string };

export interface DestinationOptions {
  allowed: readonly AllowedNetwork[];
  resolve?: ResolveHost;
  /** getaddrinfo has no timeout of its own. */
  lookupTimeoutMs?: number;
}

export async function checkWebhookDestination(
  url: string,
  { allowed, resolve = systemResolver, lookupTimeoutMs = 5_000 }: DestinationOptions,
): Promise<WebhookDestination> {
  let host: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { kind: 'refused', reason: 'is not an http:// or https:// URL' };
    }
    host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return { kind: 'refused', reason: 'is not a URL' };
  }
  if (ipaddr.isValid(host) && (host.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(host))) {
    const verdict = webhookAddressVerdict(host, allowed);
    return verdict.allowed
      ? { kind: 'allowed', address: verdict.address, family: verdict.family }
      : { kind: 'refused', reason: `is ${article(verdict.range)} address` };
  }
  let addresses: { address: string; family: number }[];
  try {
    addresses = await withTimeout(resolve(host), lookupTimeoutMs);
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    return {
      kind: 'unresolved',
      reason: code === 'TIMEOUT' ? 'did not resolve in time' : 'does not resolve',
    };
  }
  if (addresses.length === 0) return { kind: 'unresolved', reason: 'does not resolve' };
  let first: { address: string; family: 4 | 6 } | undefined;
  for (const { address } of addresses) {
    const verdict = webhookAddressVerdict(address, allowed);
    // Every address must pass: the HTTP client could pick any of them, and so could an attacker
    // who controls the name's records.
    if (!verdict.allowed) {
      return { kind: 'refused', reason: `resolves to ${article(verdict.range)} address` };
    }
    first ??= { address: verdict.address, family: verdict.family };
  }
  return { kind: 'allowed', ...first! };
}

/** The words for a refused range, with their article ("a loopback address"). */
const RANGE_WORDS: Record<string, string> = {
  loopback: 'a loopback',
  private: 'a private',
  linkLocal: 'a link-local',
  carrierGradeNat: 'a carrier-grade NAT',
  uniqueLocal: 'a unique local',
  multicast: 'a multicast',
  unspecified: 'an unspecified',
  broadcast: 'the broadcast',
  invalid: 'an invalid',
};

function article(range: string): string {
  return RANGE_WORDS[range] ?? `a special-purpose (${range})`;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
