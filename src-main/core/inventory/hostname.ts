// Host names as RFC 1123 (section 2.1) allows them: dot-separated labels of letters, digits and
// hyphens, 1-63 characters each, not starting or ending with a hyphen; 253 characters at most.
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

export const HOSTNAME_RULE = 'letters, digits and hyphens in dot-separated labels of 1-63 characters, no label starting or ending with a hyphen, 253 characters at most (RFC 1123)';

export function isRfc1123Hostname(name: string): boolean {
  return name.length > 0 && name.length <= 253 && name.split('.').every((label) => LABEL.test(label));
}
