// ssh2 is CommonJS and builds its exports as one object literal, so Node's ESM loader
// finds only some names (Client, not Server or utils). Take the values from module.exports
// (the default import under Node; the namespace itself under a bundler). Types come from
// 'ssh2' directly with `import type`.
import * as ssh2Namespace from 'ssh2';

type Ssh2 = typeof ssh2Namespace;
const ssh2: Ssh2 = (ssh2Namespace as Ssh2 & { default?: Ssh2 }).default ?? ssh2Namespace;

export const Client: Ssh2['Client'] = ssh2.Client;
export const Server: Ssh2['Server'] = ssh2.Server;
export const utils: Ssh2['utils'] = ssh2.utils;
