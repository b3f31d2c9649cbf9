// system.check's parsing on real output: this Debian 12 machine's lsblk -J / -P, ip -j / -o
// link and os-release as they printed them, an older util-linux's lsblk -J (strings for size
// and rota, a model), Rocky's and Ubuntu's os-release, a lab host's answer (no lsblk, ip or
// /sys: those sections come back empty and are listed as missing), and the template names
// os.install matches a release with.
import { describe, expect, it } from 'vitest';
import {
  expectedRelease, isPhysicalDisk, parseIpLink, parseLsblk, parseOsRelease, parseSysNet, readSystemFacts, releaseMatches, splitSections, systemCheckCommand,
} from '../../../../src-main/core/provisioning/system-facts';

const DEBIAN_OS = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"`;

const LSBLK_J = `{
   "blockdevices": [
      {"name": "zram0", "size": 0, "type": "disk", "model": null, "rota": false},
      {"name": "vda", "size": 274877906944, "type": "disk", "model": null, "rota": true}
   ]
}`;
const LSBLK_P = 'NAME="zram0" SIZE="0" TYPE="disk" MODEL="" ROTA="0"\nNAME="vda" SIZE="274877906944" TYPE="disk" MODEL="" ROTA="1"';
// util-linux 2.34 (Ubuntu 20.04) prints every value as a string.
const LSBLK_OLD = `{"blockdevices": [
  {"name": "sda", "size": "480103981056", "type": "disk", "model": "SAMSUNG MZ7LH480", "rota": "0"},
  {"name": "sr0", "size": "1073741312", "type": "rom", "model": "Virtual CDROM", "rota": "1"}
]}`;
const IP_J = '[{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP","LOWER_UP"],"mtu":65536,"qdisc":"noqueue","operstate":"UNKNOWN","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"loopback","address":"00:00:00:00:00:00","broadcast":"00:00:00:00:00:00"},{"ifindex":2,"ifname":"ifb0","flags":["BROADCAST","NOARP"],"mtu":1500,"qdisc":"noop","operstate":"DOWN","linkmode":"DEFAULT","group":"default","txqlen":32,"link_type":"ether","address":"9e:25:80:b0:54:f0","broadcast":"ff:ff:ff:ff:ff:ff"},{"ifindex":4,"ifname":"eth0","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1400,"qdisc":"pfifo_fast","operstate":"UP","linkmode":"DEFAULT","group":"default","txqlen":1000,"link_type":"ether","address":"02:fc:00:00:00:01","broadcast":"ff:ff:ff:ff:ff:ff"}]';
const IP_O = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: ifb0: <BROADCAST,NOARP> mtu 1500 qdisc noop state DOWN mode DEFAULT group default qlen 32\\    link/ether 9e:25:80:b0:54:f0 brd ff:ff:ff:ff:ff:ff
4: eth0@if5: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc pfifo_fast state UP mode DEFAULT group default qlen 1000\\    link/ether 02:fc:00:00:00:01 brd ff:ff:ff:ff:ff:ff link-netnsid 0`;

describe('os-release', () => {
  it('reads Debian, Rocky and Ubuntu as they ship it', () => {
    expect(parseOsRelease(DEBIAN_OS)).toEqual({ id: 'debian', versionId: '12', prettyName: 'Debian GNU/Linux 12 (bookworm)' });
    expect(parseOsRelease('NAME="Rocky Linux"\nVERSION="9.3 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Rocky Linux 9.3 (Blue Onyx)"\n'))
      .toEqual({ id: 'rocky', versionId: '9.3', prettyName: 'Rocky Linux 9.3 (Blue Onyx)' });
    expect(parseOsRelease("PRETTY_NAME='Ubuntu 24.04.1 LTS'\nID=ubuntu\nVERSION_ID=\"24.04\"")).toMatchObject({ id: 'ubuntu', versionId: '24.04', prettyName: 'Ubuntu 24.04.1 LTS' });
    expect(parseOsRelease('PRETTY_NAME="Say \\"hi\\""\nID=x')).toMatchObject({ prettyName: 'Say "hi"' });
    expect(parseOsRelease('cat: /etc/os-release: No such file or directory')).toBeNull();
  });

  it('matches a template name to the release it installs', () => {
    const rocky = parseOsRelease('ID=rocky\nVERSION_ID="9.3"');
    expect(expectedRelease('rocky-9')).toEqual({ id: 'rocky', version: '9' });
    expect(releaseMatches(rocky, expectedRelease('rocky-9')!)).toBe(true);
    expect(releaseMatches(rocky, { id: 'rocky', version: '9.2' })).toBe(false);
    expect(releaseMatches(parseOsRelease('ID=ubuntu\nVERSION_ID="24.04"'), expectedRelease('ubuntu-24.04')!)).toBe(true);
    expect(releaseMatches(parseOsRelease('ID=ubuntu\nVERSION_ID="22.04"'), expectedRelease('ubuntu-24.04')!)).toBe(false);
    expect(releaseMatches(parseOsRelease(DEBIAN_OS), expectedRelease('debian-12')!)).toBe(true);
    expect(expectedRelease('北京Centos6')).toBeNull();
  });
});

describe('disks and NICs', () => {
  it('reads lsblk -J, -P and an older util-linux alike', () => {
    const j = parseLsblk(LSBLK_J)!;
    expect(j).toEqual([
      { name: 'zram0', sizeBytes: 0, type: 'disk', model: null, rotational: false },
      { name: 'vda', sizeBytes: 274877906944, type: 'disk', model: null, rotational: true },
    ]);
    expect(parseLsblk(LSBLK_P)).toEqual(j);
    expect(j.filter(isPhysicalDisk).map((d) => d.name)).toEqual(['vda']);
    const old = parseLsblk(LSBLK_OLD)!;
    expect(old[0]).toEqual({ name: 'sda', sizeBytes: 480103981056, type: 'disk', model: 'SAMSUNG MZ7LH480', rotational: false });
    expect(old.filter(isPhysicalDisk).map((d) => d.name)).toEqual(['sda']);
    expect(parseLsblk('')).toBeNull();
    expect(parseLsblk('{"not": "lsblk"}')).toBeNull();
  });

  it('reads ip -j link and ip -o link alike, and /sys/class/net names', () => {
    const j = parseIpLink(IP_J)!;
    expect(j.map((n) => [n.name, n.mac, n.state, n.mtu, n.loopback])).toEqual([
      ['lo', '00:00:00:00:00:00', 'unknown', 65536, true],
      ['ifb0', '9e:25:80:b0:54:f0', 'down', 1500, false],
      ['eth0', '02:fc:00:00:00:01', 'up', 1400, false],
    ]);
    expect(parseIpLink(IP_O)).toEqual(j);
    expect(parseSysNet('eth0\nifb0\nifb1\nlo\n')!.map((n) => [n.name, n.loopback])).toEqual([['eth0', false], ['ifb0', false], ['ifb1', false], ['lo', true]]);
    expect(parseIpLink('bash: ip: command not found')).toBeNull();
  });
});

describe('the sections of one answer', () => {
  const mark = (s: string) => `@@fleetdeck:${s}`;

  it('asks each thing behind its own marker, fallbacks behind ||', () => {
    const cmd = systemCheckCommand();
    for (const s of ['os', 'kernel', 'hostname', 'disks', 'nics', 'sysnet', 'end']) expect(cmd).toContain(`echo ${mark(s)}`);
    expect(cmd).toContain('lsblk -J -b -d -o NAME,SIZE,TYPE,MODEL,ROTA || lsblk -P');
    expect(cmd).toContain('ip -j link show || ip -o link show');
  });

  it('reads a full answer, and one from a host with no lsblk, ip or /sys', () => {
    const full = [mark('os'), DEBIAN_OS, mark('kernel'), '6.1.0-21-amd64', mark('hostname'), 'deb-01', mark('disks'), LSBLK_J, mark('nics'), IP_J, mark('sysnet'), 'eth0\nlo', mark('end'), ''].join('\n');
    const f = readSystemFacts(full);
    expect(f).toMatchObject({ os: { id: 'debian', versionId: '12' }, kernel: '6.1.0-21-amd64', hostname: 'deb-01', missing: [] });
    expect(f.disks).toHaveLength(2);
    expect(f.nics).toHaveLength(3);

    // What a lab host prints: the failing programs' words go to stderr, their sections are empty.
    const lab = [mark('os'), 'PRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\nVERSION_ID="22.04"', mark('kernel'), '5.15.0-105-generic', mark('hostname'), 'web-01', mark('disks'), mark('nics'), mark('sysnet'), mark('end')].join('\n');
    const l = readSystemFacts(lab);
    expect(l).toMatchObject({ os: { id: 'ubuntu' }, kernel: '5.15.0-105-generic', hostname: 'web-01', disks: null, nics: null });
    expect(l.missing).toEqual(['disks: lsblk is not available or printed nothing readable', 'nics: neither ip link nor /sys/class/net answered']);
    expect(splitSections(`junk before\n${mark('kernel')}\nk\n${mark('bogus')}\nignored`)).toEqual({ kernel: 'k' });
  });
});
