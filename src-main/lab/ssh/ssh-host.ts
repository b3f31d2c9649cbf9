// A lab server's SSH: an ssh2 Server on the host's own loopback address and port, with a
// host key derived from a seed (same lab, same keys), password or public-key login from the
// lab's credential, the small command set of ssh-commands.ts and enough SFTP for uploads.
// Many hosts live in one process, one listening socket each. Powering a host off closes its
// listener and every connection: the host goes quiet (refused), as a dead server would.
// A PXE install reinstalls the host: new hostname, OS and host key (the seed carries the
// install generation), and a fresh disk. With the lab's agents (src-main/lab/agents) a host
// runs the agent the deploy starts on it; powering off stops it, a reinstall also wipes its state.
import { createServer, type Server as NetServer, type Socket } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { AuthContext, Connection, Server as SshServer, ServerChannel, Session } from 'ssh2';
import { Server, utils } from '../../core/protocols/ssh/codec/ssh2-lib';
import type { Device } from '../../../src-shared/domain';
import { ed25519KeyPair, seedFrom, type SshKeyPair } from '../../core/protocols/ssh/codec/keys';
import { createLabAgents, type LabAgents, type LabHostAgents } from '../agents/lab-agents';
import { runCommandLine, type HostContext } from './ssh-commands';
import { LabFileSystem } from './ssh-files';
import { factsFor, type LabHostFacts } from './ssh-host-facts';
import { generatedFile } from './ssh-proc';
import { serveSftp } from './ssh-sftp';

export interface LabSshAuth {
  username: string;
  password?: string;
  /** OpenSSH public key lines ("ssh-ed25519 AAAA... comment") allowed to log in. */
  authorizedKeys?: readonly string[];
}

export interface LabSshHostSpec {
  id: string;
  hostname: string;
  address: string;
  port: number;
  /** Any string: the same seed always gives the same host key. */
  hostKeySeed: string;
  auth: LabSshAuth;
  /** Distribution, CPUs, packages...; derived from the id when omitted. */
  facts?: LabHostFacts;
  /** Uptime the host already has when the lab first starts it. */
  initialUptimeSec?: number;
}

export interface LabSshHost {
  readonly spec: LabSshHostSpec;
  readonly running: boolean;
  /** Epoch ms of the last boot: powering on again resets it. */
  readonly bootAt: number;
  /** The key the host presents now. */
  readonly hostKey: Pick<SshKeyPair, 'publicKey' | 'publicBlob' | 'fingerprint'>;
  /** Open client connections. */
  readonly connections: number;
  /** Bytes its files hold in memory (a file kept by checksum holds none). */
  readonly keptBytes: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Off: listener and connections closed, /tmp lost. On: boots again (uptime from zero). */
  setPower(on: boolean): Promise<void>;
  /** A new host key from now on (connections already open keep theirs). */
  rekey(seed: string): void;
  /** A reinstall: new hostname, OS facts and host key from the next connection on; the disk (uploads, /tmp) starts empty. */
  reinstall(to: { hostname: string; facts: LabHostFacts; hostKeySeed: string }): void;
}

export const LAB_SSH_USERNAME = 'fleetdeck';

/** The key pair a lab host with this seed presents. */
export function labSshHostKey(seed: string, hostname = 'lab'): SshKeyPair {
  return ed25519KeyPair(seedFrom(`lab-host/${seed}`), `root@${hostname}`);
}

/** The host key seed of a lab device: the lab's seed, the device, and how many times it has been installed since. */
export function labHostKeySeed(labSeed: number, deviceId: string, generation = 0): string {
  return generation === 0 ? `${labSeed}/${deviceId}` : `${labSeed}/${deviceId}/install-${generation}`;
}

/** A host spec for an inventory device, keyed by the lab's seed. */
export function sshHostSpecFor(device: Device, labSeed: number, auth: LabSshAuth, initialUptimeSec?: number): LabSshHostSpec {
  return {
    id: device.id,
    hostname: device.hostname,
    address: device.mgmtIp,
    port: device.sshPort,
    hostKeySeed: labHostKeySeed(labSeed, device.id),
    auth,
    initialUptimeSec,
  };
}

const same = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

class Host implements LabSshHost {
  bootAt: number;
  hostKey: SshKeyPair;
  #net: NetServer | null = null;
  #ssh: SshServer | null = null;
  #sockets = new Set<Socket>();
  #sessions = 0;
  #booted = false;
  #fs: LabFileSystem | null = null;
  #ctx: HostContext | null = null;
  /** A reinstall's wipe of the agents' state, awaited before the host listens again. */
  #wiping: Promise<void> = Promise.resolve();
  readonly #allowedKeys: ReadonlyArray<{ type: string; data: Buffer; key: ReturnType<typeof utils.parseKey> }>;

  constructor(public spec: LabSshHostSpec, private readonly agents: LabHostAgents | null) {
    this.bootAt = Date.now() - (spec.initialUptimeSec ?? 0) * 1000;
    this.hostKey = labSshHostKey(spec.hostKeySeed, spec.hostname);
    this.#allowedKeys = (spec.auth.authorizedKeys ?? []).map((line) => {
      const key = utils.parseKey(line);
      if (key instanceof Error) throw new Error(`lab ssh host ${spec.id}: bad authorized key: ${key.message}`);
      return { type: key.type, data: key.getPublicSSH(), key };
    });
  }

  get running(): boolean {
    return this.#net !== null;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  get keptBytes(): number {
    return this.#fs?.keptBytes ?? 0;
  }

  rekey(seed: string): void {
    this.hostKey = labSshHostKey(seed, this.spec.hostname);
    this.#ssh = null; // the next connection gets a server with the new key
  }

  reinstall(to: { hostname: string; facts: LabHostFacts; hostKeySeed: string }): void {
    this.spec = { ...this.spec, ...to };
    this.rekey(to.hostKeySeed);
    this.#ctx = null; // the next session sees the new hostname, OS and an empty disk
    this.#fs = null;
    if (this.agents) this.#wiping = this.#wiping.then(() => this.agents?.wipe());
  }

  setPower(on: boolean): Promise<void> {
    return on ? this.start() : this.stop();
  }

  async start(): Promise<void> {
    await this.#wiping;
    if (this.#net) return;
    if (this.#booted) this.bootAt = Date.now();
    this.#booted = true;
    const net = createServer((socket) => this.#accept(socket));
    this.#net = net;
    const { address, port } = this.spec;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => {
        this.#net = null;
        reject(new Error(`lab ssh host ${this.spec.id}: cannot listen on ${address}:${port}: ${err.message}`, { cause: err }));
      };
      net.once('error', onError);
      net.listen({ host: address, port, backlog: 64 }, () => {
        net.off('error', onError);
        net.on('error', () => undefined);
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    const net = this.#net;
    if (!net) return;
    this.#net = null;
    for (const s of this.#sockets) s.destroy();
    this.#sockets.clear();
    this.#fs?.clear('/tmp');
    await Promise.all([this.agents?.halt(), new Promise<void>((resolve) => net.close(() => resolve()))]);
  }

  #accept(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true); // channel requests are small: Nagle would add 40 ms to each exec
    // The banner names the OpenSSH build of the host's own distribution.
    this.#ssh ??= new Server({ hostKeys: [this.hostKey.privateKey], ident: this.#context().facts.sshIdent }, (client) => this.#client(client));
    this.#ssh.injectSocket(socket);
  }

  #context(): HostContext {
    if (!this.#ctx) {
      const home = this.spec.auth.username === 'root' ? '/root' : `/home/${this.spec.auth.username}`;
      const ctx: HostContext = {
        hostId: this.spec.id,
        hostname: this.spec.hostname,
        username: this.spec.auth.username,
        facts: this.spec.facts ?? factsFor(this.spec.id),
        fs: null as unknown as LabFileSystem,
        bootAt: 0,
        users: () => Math.max(1, this.#sessions),
        agents: this.agents,
      };
      this.#fs = new LabFileSystem(home, (p) => generatedFile(ctx, p));
      ctx.fs = this.#fs;
      this.#ctx = ctx;
    }
    this.#ctx.bootAt = this.bootAt;
    return this.#ctx;
  }

  #authenticate(ctx: AuthContext): void {
    const auth = this.spec.auth;
    const methods: Array<'password' | 'publickey'> = [];
    if (auth.password) methods.push('password');
    if (this.#allowedKeys.length) methods.push('publickey');
    if (ctx.username !== auth.username) return ctx.reject(methods);
    if (ctx.method === 'password' && auth.password && same(ctx.password, auth.password)) return ctx.accept();
    if (ctx.method === 'publickey') {
      const allowed = this.#allowedKeys.find((k) => k.type === ctx.key.algo && k.data.equals(ctx.key.data));
      if (allowed && !ctx.signature) return ctx.accept(); // the client asks whether this key would do
      const key = allowed?.key;
      if (key && !(key instanceof Error) && ctx.blob && key.verify(ctx.blob, ctx.signature!, ctx.hashAlgo) === true) return ctx.accept();
    }
    ctx.reject(methods);
  }

  #client(client: Connection): void {
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => this.#authenticate(ctx));
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        this.#sessions++;
        let counted = true;
        const done = (): void => {
          if (counted) this.#sessions--;
          counted = false;
        };
        session.once('close', done);
        this.#session(session);
      });
    });
  }

  #session(session: Session): void {
    session.on('pty', (_accept, reject) => reject?.());
    session.on('shell', (_accept, reject) => reject?.());
    session.on('env', (accept) => accept?.());
    session.on('sftp', (accept) => serveSftp(accept(), this.#context().fs));
    session.on('exec', (accept, _reject, info) => {
      const stream = accept();
      const ac = new AbortController();
      session.once('signal', (acceptSignal, _rej, sig) => {
        acceptSignal?.();
        ac.abort();
        exitOnce({ signal: sig.name });
      });
      let finished = false;
      const exitOnce = (how: { code?: number; signal?: string }): void => {
        if (finished) return;
        finished = true;
        if (how.signal !== undefined) stream.exit(how.signal, false, '');
        else stream.exit(how.code ?? 0);
        stream.end();
      };
      this.#exec(info.command, stream, ac).then((code) => exitOnce({ code }), (err) => {
        if (!finished) stream.stderr.write(`bash: internal error: ${String(err)}\n`);
        exitOnce({ code: 1 });
      });
    });
  }

  #exec(command: string, stream: ServerChannel, ac: AbortController): Promise<number> {
    const stdinChunks: Buffer[] = [];
    const stdinDone = new Promise<Buffer>((resolve) => {
      stream.on('data', (b: Buffer) => stdinChunks.push(b));
      stream.once('end', () => resolve(Buffer.concat(stdinChunks)));
      stream.once('close', () => resolve(Buffer.concat(stdinChunks)));
    });
    stream.once('close', () => ac.abort());
    return runCommandLine(command, this.#context(), {
      stdout: (d) => void (ac.signal.aborted || stream.write(d)),
      stderr: (d) => void (ac.signal.aborted || stream.stderr.write(d)),
      stdin: () => stdinDone,
      signal: ac.signal,
    });
  }
}

/** A host; with `agents`, it runs the agents the deploy starts on it (without, it answers that it runs none). */
export function createLabSshHost(spec: LabSshHostSpec, o: { agents?: LabAgents } = {}): LabSshHost {
  return new Host(spec, o.agents?.forHost(spec.id) ?? null);
}

export interface LabSshHosts {
  readonly hosts: ReadonlyMap<string, LabSshHost>;
  /** The hosts' agents (given, or made for these hosts and disposed by close). */
  readonly agents: LabAgents;
  close(): Promise<void>;
}

/** Starts many hosts in this process; all of them or none. */
export async function startLabSshHosts(specs: readonly LabSshHostSpec[], o: { agents?: LabAgents } = {}): Promise<LabSshHosts> {
  const agents = o.agents ?? createLabAgents();
  const hosts = new Map(specs.map((s) => [s.id, createLabSshHost(s, { agents })]));
  const all = [...hosts.values()];
  const close = async (): Promise<void> => {
    await Promise.all(all.map((h) => h.stop()));
    if (!o.agents) await agents.dispose();
  };
  const started = await Promise.allSettled(all.map((h) => h.start()));
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  return { hosts, agents, close };
}
