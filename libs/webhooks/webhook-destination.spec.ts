import {
  allowedNetworkProblem,
  checkWebhookDestination,
  parseAllowedNetworks,
  ResolveHost,
  webhookAddressVerdict,
} from './webhook-destination';

describe(webhookAddressVerdict.name, () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['10.0.0.5', 'private'],
    ['172.16.3.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['100.64.0.1', 'carrierGradeNat'],
    ['100.127.255.254', 'carrierGradeNat'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['fc00::1', 'uniqueLocal'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['255.255.255.255', 'broadcast'],
    // IPv4-mapped IPv6 forms are judged as the IPv4 address they carry.
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:169.254.169.254', 'linkLocal'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:100.64.0.1', 'carrierGradeNat'],
    ['0:0:0:0:0:ffff:c0a8:0101', 'private'],
    // NAT64 and 6to4 carry IPv4 addresses a gateway would reach: refused as a whole.
    ['64:ff9b::a00:1', 'rfc6052'],
    ['2002:7f00:1::', '6to4'],
    ['not-an-address', 'invalid'],
  ])('refuses %s (%s)', (address, range) => {
    expect(webhookAddressVerdict(address)).toEqual({ allowed: false, range });
  });

  it.each([
    ['93.184.215.14', 4, '93.184.215.14'],
    ['8.8.8.8', 4, '8.8.8.8'],
    ['172.32.0.1', 4, '172.32.0.1'], // just past 172.16.0.0/12
    ['100.128.0.1', 4, '100.128.0.1'], // just past 100.64.0.0/10
    ['2606:4700:4700::1111', 6, '2606:4700:4700::1111'],
    ['::ffff:8.8.8.8', 4, '8.8.8.8'],
  ])('allows the public address %s', (address, family, pinned) => {
    expect(webhookAddressVerdict(address)).toEqual({ allowed: true, address: pinned, family });
  });

  it('allows what the allow-list names, and only that', () => {
    const allowed = parseAllowedNetworks(['127.0.0.1', '10.20.0.0/16', 'fd12::/16']);
    expect(webhookAddressVerdict('127.0.0.1', allowed)).toMatchObject({ allowed: true });
    expect(webhookAddressVerdict('::ffff:127.0.0.1', allowed)).toEqual({
      allowed: true,
      address: '127.0.0.1',
      family: 4,
    });
    expect(webhookAddressVerdict('127.0.0.2', allowed)).toEqual({
      allowed: false,
      range: 'loopback',
    });
    expect(webhookAddressVerdict('10.20.9.9', allowed)).toMatchObject({ allowed: true });
    expect(webhookAddressVerdict('10.21.0.1', allowed)).toMatchObject({ allowed: false });
    expect(webhookAddressVerdict('fd12:3::1', allowed)).toMatchObject({ allowed: true });
    expect(webhookAddressVerdict('::1', allowed)).toMatchObject({ allowed: false });
    const mapped = parseAllowedNetworks(['::ffff:10.0.0.0/104']);
    expect(webhookAddressVerdict('10.9.9.9', mapped)).toMatchObject({ allowed: true });
  });
});

describe(allowedNetworkProblem.name, () => {
  it.each(['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8', '100.64.0.0/10', '::ffff:10.0.0.0/104'])(
    'accepts %s',
    (entry) => expect(allowedNetworkProblem(entry)).toBeUndefined(),
  );
  it.each([
    ['localhost', 'is not an address or a CIDR block'],
    ['10.1', 'is not an address or a CIDR block'],
    ['0x7f.1', 'is not an address or a CIDR block'],
    ['10.0.0.0/33', 'is not an address or a CIDR block'],
    ['0.0.0.0/0', 'would allow every address'],
    ['::/0', 'would allow every address'],
  ])('refuses %s', (entry, problem) => expect(allowedNetworkProblem(entry)).toBe(problem));
});

describe(checkWebhookDestination.name, () => {
  /** A resolver of made-up names: no lookup leaves the test. */
  const names: Record<string, string[]> = {
    'crm.example.test': ['93.184.215.14'],
    'metadata.example.test': ['169.254.169.254'],
    'intranet.example.test': ['10.0.0.8'],
    'cgnat.example.test': ['100.64.12.1'],
    'ula.example.test': ['fd00::8'],
    'mapped.example.test': ['::ffff:127.0.0.1'],
    // One public and one private address: the client could pick either, so it is refused.
    'mixed.example.test': ['93.184.215.14', '192.168.0.10'],
  };
  const resolve: ResolveHost = async (host) => {
    const addresses = names[host];
    if (!addresses)
      throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
  };
  const check = (url: string, allowed: string[] = []) =>
    checkWebhookDestination(url, { allowed: parseAllowedNetworks(allowed), resolve });

  it.each([
    ['http://127.0.0.1:8080/hook', 'is a loopback address'],
    ['http://[::1]/hook', 'is a loopback address'],
    ['http://[::ffff:127.0.0.1]/hook', 'is a loopback address'],
    ['http://2130706433/hook', 'is a loopback address'], // the URL parser makes it 127.0.0.1
    ['http://0x7f.1/hook', 'is a loopback address'],
    ['http://169.254.169.254/latest/meta-data', 'is a link-local address'],
    ['http://0.0.0.0:3000/', 'is an unspecified address'],
    ['https://metadata.example.test/', 'resolves to a link-local address'],
    ['https://intranet.example.test/', 'resolves to a private address'],
    ['https://cgnat.example.test/', 'resolves to a carrier-grade NAT address'],
    ['https://ula.example.test/', 'resolves to a unique local address'],
    ['https://mapped.example.test/', 'resolves to a loopback address'],
    ['https://mixed.example.test/', 'resolves to a private address'],
    ['ftp://crm.example.test/', 'is not an http:// or https:// URL'],
  ])('refuses %s', async (url, reason) => {
    expect(await check(url)).toEqual({ kind: 'refused', reason });
  });

  it('pins the first address of a public name, and allow-listed internal ones', async () => {
    expect(await check('https://crm.example.test/hook')).toEqual({
      kind: 'allowed',
      address: '93.184.215.14',
      family: 4,
    });
    expect(await check('https://intranet.example.test/', ['10.0.0.0/24'])).toEqual({
      kind: 'allowed',
      address: '10.0.0.8',
      family: 4,
    });
    expect(await check('http://[::1]:9/', ['::1'])).toEqual({
      kind: 'allowed',
      address: '::1',
      family: 6,
    });
  });

  it('tells a name that does not resolve (or not in time) from a refused one', async () => {
    expect(await check('https://nowhere.example.test/')).toEqual({
      kind: 'unresolved',
      reason: 'does not resolve',
    });
    const slow = await checkWebhookDestination('https://slow.example.test/', {
      allowed: [],
      resolve: () => new Promise(() => undefined),
      lookupTimeoutMs: 20,
    });
    expect(slow).toEqual({ kind: 'unresolved', reason: 'did not resolve in time' });
  });

  it('resolves localhost through the system resolver to a refused loopback address', async () => {
    expect(await checkWebhookDestination('http://localhost:9/', { allowed: [] })).toEqual({
      kind: 'refused',
      reason: 'resolves to a loopback address',
    });
  });
});
