import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';

/**
 * The URLs a scanner on the local network can reach the API at: one per non-internal IPv4 address, private
 * ranges first. pretixSCAN resolves every call against the root of this URL, so it carries no path.
 */
export function lanBaseUrls(
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  return lanAddresses(interfaces).map((a) => `http://${a}:${port}`);
}

/** The machine's non-internal IPv4 addresses, private ranges first. */
export function lanAddresses(
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): string[] {
  const addresses: string[] = [];
  for (const infos of Object.values(interfaces)) {
    for (const info of infos ?? []) {
      if (info.family === 'IPv4' && !info.internal && !info.address.startsWith('169.254.'))
        addresses.push(info.address);
    }
  }
  const isPrivate = (a: string) => /^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/.test(a);
  addresses.sort((a, b) => Number(isPrivate(b)) - Number(isPrivate(a)));
  return [...new Set(addresses)];
}
