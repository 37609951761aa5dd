import { describe, expect, it } from 'vitest';
import { lanBaseUrls } from '../../../main/api/lan';

describe('LAN address for the pairing code', () => {
  it('offers private IPv4 addresses first and skips loopback, link-local and IPv6', () => {
    const iface = (address: string, family: 'IPv4' | 'IPv6', internal = false) => ({
      address,
      family,
      internal,
      netmask: '255.255.255.0',
      mac: '00:00:00:00:00:00',
      cidr: null,
      ...(family === 'IPv6' ? { scopeid: 0 } : {}),
    });
    const urls = lanBaseUrls(8787, {
      lo: [iface('127.0.0.1', 'IPv4', true)],
      wan: [iface('203.0.113.7', 'IPv4')],
      wlan: [iface('192.168.1.20', 'IPv4'), iface('fe80::1', 'IPv6')],
      auto: [iface('169.254.3.4', 'IPv4')],
    } as Parameters<typeof lanBaseUrls>[1]);
    expect(urls).toEqual(['http://192.168.1.20:8787', 'http://203.0.113.7:8787']);
  });
});
