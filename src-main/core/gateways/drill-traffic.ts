// A failover drill's test traffic: one UDP socket per session (a session is the socket's
// address and port, as a client's flow is), each round one probe per session to the VIP
// (src-shared/mgw/drill-probe.ts), answered by whichever backend serves the session. Per
// session: the backend that answered first (its own), the time of its last answer, and whether
// it was ever answered by another backend after that (switched: the drill's miss).
import dgram from 'node:dgram';
import { encodeDrillProbe, parseDrillAnswer } from '../../../src-shared/mgw/drill-probe';

const PACE_EVERY = 200;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class DrillTraffic {
  private readonly socks: dgram.Socket[] = [];
  private readonly backendOf: (string | null)[] = [];
  private lastAnswer = new Float64Array(0);
  private readonly switchedAt = new Map<number, number>();
  private seq = 0;
  answers = 0;

  constructor(
    readonly drill: string,
    private readonly vip: { readonly address: string; readonly port: number },
    private readonly bindAddress = '0.0.0.0',
  ) {}

  get sessions(): number {
    return this.socks.length;
  }

  /** Opens n more sessions (their sockets; they talk from the next round on). */
  async add(n: number): Promise<void> {
    const from = this.socks.length;
    const grown = new Float64Array(from + n);
    grown.set(this.lastAnswer);
    this.lastAnswer = grown;
    for (let i = from; i < from + n; i++) {
      const s = dgram.createSocket('udp4');
      s.on('message', (m) => this.onAnswer(m));
      s.on('error', () => {});
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.bind(0, this.bindAddress, () => {
          s.removeListener('error', reject);
          resolve();
        });
      });
      this.socks.push(s);
      this.backendOf.push(null);
    }
  }

  private onAnswer(m: Buffer): void {
    const a = parseDrillAnswer(m);
    if (!a || a.drill !== this.drill || a.session >= this.socks.length) return;
    this.answers++;
    this.lastAnswer[a.session] = Date.now();
    const had = this.backendOf[a.session];
    if (had === null) this.backendOf[a.session] = a.backend;
    else if (had !== a.backend) {
      this.switchedAt.set(a.session, Date.now());
      this.backendOf[a.session] = a.backend;
    }
  }

  /** One probe on every session (paced, so the sockets' buffers and the gateway keep up). */
  async round(from = 0): Promise<number> {
    const seq = ++this.seq;
    const at = Date.now();
    for (let i = from; i < this.socks.length; i++) {
      this.socks[i].send(encodeDrillProbe({ drill: this.drill, session: i, seq }), this.vip.port, this.vip.address);
      if ((i - from) % PACE_EVERY === PACE_EVERY - 1) await sleep(2);
    }
    return at;
  }

  /** Sessions (from index `from`) with no answer since `since`. */
  silentSince(since: number, from = 0): number {
    let n = 0;
    for (let i = from; i < this.socks.length; i++) if (this.lastAnswer[i] < since) n++;
    return n;
  }

  /** Sessions whose latest change of backend (an answer from another than the one before) is at or after `since`. */
  switchedSince(since: number): number {
    let n = 0;
    for (const at of this.switchedAt.values()) if (at >= since) n++;
    return n;
  }

  /** Rounds until every session (from `from`) has an answer; the sessions still silent after `rounds`. */
  async answerAll(rounds: number, gapMs: number, from = 0): Promise<number> {
    const since = Date.now();
    for (let r = 0; r < rounds; r++) {
      await this.round(from);
      await sleep(gapMs);
      if (this.silentSince(since, from) === 0) return 0;
    }
    return this.silentSince(since, from);
  }

  close(): void {
    for (const s of this.socks) s.close();
    this.socks.length = 0;
  }
}
