// Issue 12's first acceptance point: kill -9 the serve process (out/main/serve.js, after npm run
// build) at 20 points of a server-online run (the shipped template, as shipped) on 10 lab
// servers, starting it again on the same data directory and port after each kill. At the end:
// the run succeeded with all 10 online in the CMDB under the hostnames the flow gave them;
// after every restart the run went on at the step it was at (attempts finished before the kill
// untouched, a succeeded task never given another attempt, an attempt the kill cut short closed
// as interrupted, an open wait gone on with the same attempt, no attempt started before its
// host's previous step had succeeded, no attempt failed but by a kill); the installer's callback
// completed each install step exactly once; and the flow's callback receiver (a real HTTP server
// here) saw exactly one Idempotency-Key per host, every delivery of a key the same request. The
// kills, seeded (SERVE_CRASH_SEED replays one; SERVE_CRASH_DEBUG prints the attempts, the lives
// and the last serve's output): check_system and bmc_check in flight, the CMDB moves, twice
// inside os.install's first call (staging, boot flag, power cycle: not idempotent, so failed as
// interrupted and retried by the operator, as a NOC would), five times while installs are in
// flight and once right after a restart, at five progress levels drawn at random after the
// installs, and four times while a delivery of the flow's callback waits for its answer.
// The lab is serve's child and dies with it, but serve starts it on lab-state.json in the same
// data directory: nothing puts the fleet back, the lab resumes by itself (installs in flight go
// on, power cycles finish, callbacks being sent are sent again). After each restart the test
// looks from outside the console at the hosts the journal had installed (checkLabIdentity, over
// SNMP): they must answer with their new hostname and OS; at the end over SSH too, with the host
// key the console accepted. Lab 127.92.x.y (BMCs 127.192.x.y), 720 devices (the smallest lab
// with 10 SSH servers: every tenth server answers SSH).
import { existsSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import type { InventoryDocument, WfAttempt, WfTask } from '../../../src-shared/domain';
import { sleep } from '../../support/handles';
import { SERVE_ENTRY, type ServeProcess } from '../../support/serve-process';
import { connect, type TestClient } from '../../support/ws-client';
import { checkLabIdentity, freePort, journalAt, JournalReader, labLogin, outboxUnsent, rng, ServeLife, startReceiver, type IdentityCheck, type Journal, type Look } from './serve-crash-support';

const built = existsSync(SERVE_ENTRY);
if (!built && process.env.CI) throw new Error(`${SERVE_ENTRY} is missing: npm test builds it before vitest`);

const KILLS = 20;
const HOSTS = 10;
const INSTALL_MS = 12_000;
const OS = 'ubuntu-24.04';
const STEPS = ['check_system', 'bmc_check', 'cmdb_check', 'cmdb_provisioning', 'os_install', 'host_key', 'host_ping', 'cmdb_online', 'callback'];
const TASKS = STEPS.length * HOSTS;
const PRE = 4 * HOSTS; // tasks of the steps before os_install
const LAB_COMMUNITY = 'fleetdeck-lab';

let life: ServeLife | null = null;
const clients: TestClient[] = [];
let closeReceiver: (() => Promise<void>) | null = null;
let closeReader: (() => void) | null = null;
afterAll(async () => {
  closeReader?.();
  for (const c of clients) await c.close().catch(() => {});
  await life?.stop();
  await closeReceiver?.();
  if (life?.dataDir) rmSync(life.dataDir, { recursive: true, force: true });
});

interface Aim {
  readonly name: string;
  /** True at the point to kill (or once the point's phase is over). */
  readonly pick: (d: Look) => boolean;
  /** Then a random wait below this (ms), or below what the function says of the run as it was picked. */
  readonly waitMs: number | ((d: Look) => number);
}

interface Kill {
  readonly n: number;
  readonly aim: string;
  readonly done: number;
  readonly runState: string;
  /** Outbox rows not acknowledged at death. */
  readonly unsent: number;
  /** step:state of the tasks in flight at death. */
  readonly active: readonly string[];
  /** os_install attempts in their first call, and installs in flight, at death. */
  readonly firstCalls: number;
  readonly installing: number;
  readonly receiverHolding: number;
  readonly restartMs: number;
}

describe.skipIf(!built)('server-online under kill -9 of the serve process', () => {
  it('resumes 20 times at the right step, runs no finished step again and calls back once per host', async () => {
    const t0 = Date.now();
    const seed = Number(process.env.SERVE_CRASH_SEED ?? Date.now() % 100_000);
    const rand = rng(seed);
    const receiver = await startReceiver(rng(seed + 1));
    closeReceiver = receiver.close;
    const port = await freePort();
    life = new ServeLife(['--lab-devices', '720', '--lab-prefix', '127.92', '--no-lab-gateways', '--poll-interval-ms', '600000', '--no-traps', '--port', String(port)]);
    const l = life;
    let serve: ServeProcess = await l.start();
    const dataDir = serve.dataDir;
    const open = async (): Promise<TestClient> => {
      const c = await connect(serve.url, l.tokens!.operator);
      clients.push(c);
      return c;
    };
    let op = await open();
    const sshLogin = labLogin(dataDir, 'lab-ssh');

    // Ten servers that answer SSH (the lab gives SSH to every tenth), in for a reinstall.
    const doc = JSON.parse((await op.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
    const hosts = doc.devices.filter((d) => d.kind === 'server' && d.sshCredential).slice(0, HOSTS);
    expect(hosts).toHaveLength(HOSTS);
    const ids = hosts.map((d) => d.id);
    await op.call('inventory.setLifecycle', { deviceIds: ids, to: 'offline' });
    const hostnames = Object.fromEntries(hosts.map((d, i) => [d.sn, `crash-db-${String(i + 1).padStart(2, '0')}`]));
    const run = await op.call('workflows.launch', {
      templateId: 'server-online',
      params: { callbackMethod: 'POST', callbackUrl: receiver.url, hostnames, os: OS, purpose: 'crash test', installMs: INSTALL_MS },
      deviceIds: ids,
    });
    expect(run.templateVersion).toBe(1); // the shipped template, as shipped
    const why = `seed ${seed}, run ${run.id}`;

    // The operator: retries what failed (interrupted installs) and resumes a paused run.
    const retries: { stepId: string; host: string; failure: string | null; error: string | null }[] = [];
    const operate = async (seen: Look): Promise<void> => {
      if (!seen.tasks.some((t) => t.state === 'failed') && seen.state !== 'paused') return;
      const d = await op.call('workflows.run', { runId: run.id });
      for (const t of d.tasks.filter((x) => x.state === 'failed')) {
        // More retries than restarts: something fails that no restart explains.
        if (retries.filter((r) => r.stepId === t.stepId && r.host === t.host).length > KILLS) throw new Error(`${t.stepId}@${t.host} failed again after ${KILLS} retries (${why}): ${t.error}`);
        retries.push({ stepId: t.stepId, host: t.host, failure: t.failure, error: t.error });
        await op.call('workflows.retry', { runId: run.id, stepId: t.stepId, host: t.host });
      }
      if (d.state === 'paused') await op.call('workflows.resume', { runId: run.id });
    };
    let reader = new JournalReader(dataDir, run.id);
    /** Reads the journal every `everyMs` (the operator acting on what it shows) until pick says so. */
    const watch = async <T>(what: string, pick: (d: Look) => T | undefined | false, everyMs = 5, boundMs = 120_000): Promise<T> => {
      const end = Date.now() + boundMs;
      for (;;) {
        const seen = reader.look();
        const v = pick(seen);
        if (v) return v;
        await operate(seen);
        if (Date.now() > end) throw new Error(`timed out waiting for ${what} (${why}): ${JSON.stringify(seen.tasks.filter((t) => t.state !== 'succeeded'))}`);
        await sleep(everyMs);
      }
    };
    const levels = (n: number, from: number, to: number): number[] => {
      const picked = new Set<number>();
      while (picked.size < n) picked.add(from + Math.floor(rand() * (to - from)));
      return [...picked].sort((x, y) => x - y);
    };
    const count = (d: Look, step: string, ...states: string[]) => d.tasks.filter((t) => t.stepId === step && states.includes(t.state)).length;
    const past = (d: Look, step: string) => count(d, step, 'succeeded') === HOSTS;
    const done = (d: Look) => d.tasks.filter((t) => t.state === 'succeeded').length;
    // A failed run is not over: the operator retries what failed (which reopens it).
    const over = (d: Look) => d.state === 'succeeded' || d.state === 'revoked';

    // The kill plan: points drawn from every phase of the run, each "as soon as seen" (the journal read every ms or so)
    // plus a random wait; a point whose phase is over by the time it is aimed at is taken where the run is. The fleet
    // is looked at while the next point is aimed at, so a kill can also land during a restart's first moments.
    const firstCall = (d: Look) => count(d, 'os_install', 'running') > 0 || count(d, 'os_install', 'awaiting-callback', 'succeeded') === HOSTS;
    const inFlight = (d: Look) => count(d, 'os_install', 'awaiting-callback') > 0 || past(d, 'os_install');
    // Within the installs still in flight: below the time the first of them has left.
    const installLeft = (d: Look) => {
      const left = d.tasks.filter((t) => t.stepId === 'os_install' && t.state === 'awaiting-callback').map((t) => t.attemptAt! + INSTALL_MS - Date.now());
      return left.length ? Math.max(0, Math.min(...left)) : 0;
    };
    const delivery = (d: Look) => receiver.holding() > 0 || over(d);
    const postLevels = levels(5, PRE + HOSTS, TASKS - HOSTS);
    const aims: Aim[] = [
      { name: 'check_system in flight', pick: (d) => count(d, 'check_system', 'running') > 0 || past(d, 'check_system'), waitMs: 300 },
      { name: 'bmc_check in flight', pick: (d) => count(d, 'bmc_check', 'running') > 0 || past(d, 'bmc_check'), waitMs: 60 },
      { name: 'CMDB moves', pick: (d) => count(d, 'cmdb_provisioning', 'running', 'ready') > 0 || past(d, 'cmdb_provisioning'), waitMs: 3 },
      // os.install's first call (staging, PXE boot flag, power cycle) lasts a few ms per host; once no host has one to come, kill where it is.
      { name: 'os.install first call', pick: firstCall, waitMs: 0 },
      { name: 'os.install first call', pick: firstCall, waitMs: 0 },
      ...Array.from({ length: 3 }, (): Aim => ({ name: 'installs in flight', pick: inFlight, waitMs: installLeft })),
      { name: 'right after the restart', pick: () => true, waitMs: 300 },
      ...Array.from({ length: 2 }, (): Aim => ({ name: 'installs in flight', pick: inFlight, waitMs: installLeft })),
      // After the installs: progress levels drawn at random (host key, ping, CMDB online, callback step).
      ...postLevels.map((n): Aim => ({ name: `${n} tasks done`, pick: (d) => done(d) >= n || over(d), waitMs: 0 })),
      // The receiver holds each delivery 1.5 s: killed then, serve never hears the answer and sends it again after the restart.
      ...Array.from({ length: 4 }, (): Aim => ({ name: 'a delivery waiting for its answer', pick: delivery, waitMs: 0 })),
    ];
    expect(aims).toHaveLength(KILLS);

    const key = (a: { stepId: string; host: string }) => `${a.stepId}@${a.host}`;
    const kills: Kill[] = [];
    // endedAt: when the next kill was sent; nextAt: when the next serve (and its lab) began to start.
    interface Life { journal: Journal; startedAt: number; after: WfAttempt[]; checking: Promise<IdentityCheck>; check: IdentityCheck | null; endedAt: number | null; nextAt: number | null; labLog: string[] }
    const lives: Life[] = [];
    const lingering: string[] = [];
    // Looks at the fleet as the journal at death left it; a host that did not answer before the next kill says nothing (checked below).
    // Over SNMP after each restart (quick, so most looks finish before the next kill); over SSH as well at the end.
    const look = (tasks: Parameters<typeof checkLabIdentity>[0]['tasks'], ssh = false): Promise<IdentityCheck> =>
      checkLabIdentity({ tasks, devices: hosts, os: OS, community: LAB_COMMUNITY, ...(ssh ? { ssh: sshLogin, withinMs: 30_000 } : {}) });
    for (const [k, aim] of aims.entries()) {
      const seen = await watch(aim.name, (d) => aim.pick(d) && d, 1);
      const waitMs = typeof aim.waitMs === 'number' ? aim.waitMs : aim.waitMs(seen);
      if (waitMs) await sleep(Math.floor(rand() * waitMs));
      const holding = receiver.holding();

      // Kill, read the journal as it was, start again, look at the fleet.
      const t = Date.now();
      reader.close();
      const death = await l.kill();
      lingering.push(...death.lingering);
      const prev = lives.at(-1);
      if (prev) {
        prev.endedAt = t; // from the kill on, a look may meet the dying lab
        prev.check = await prev.checking;
      }
      const journal = journalAt(dataDir, run.id);
      const startedAt = Date.now();
      if (prev) prev.nextAt = startedAt;
      serve = await l.start();
      op = await open();
      reader = new JournalReader(dataDir, run.id);
      closeReader = () => reader.close();
      const after = await op.call('workflows.attempts', { runId: run.id });
      lives.push({ journal, startedAt, after, checking: look(journal.tasks), check: null, endedAt: null, nextAt: null, labLog: serve.output.filter((x) => /lab state: /.test(x)) });
      const active = [...new Set(journal.tasks.filter((x) => ['running', 'waiting', 'awaiting-callback'].includes(x.state)).map((x) => `${x.step_id}:${x.state}`))].sort();
      kills.push({
        n: k + 1, aim: aim.name, done: journal.tasks.filter((x) => x.state === 'succeeded').length, runState: journal.runState, unsent: journal.unsent, active,
        firstCalls: journal.tasks.filter((x) => x.step_id === 'os_install' && x.state === 'running').length,
        installing: journal.tasks.filter((x) => x.step_id === 'os_install' && x.state === 'awaiting-callback').length,
        receiverHolding: holding, restartMs: Date.now() - t,
      });
    }
    const last = lives.at(-1)!;
    last.check = await last.checking;

    // The run over and its outbox empty: every callback delivered and acknowledged.
    await watch('the run to finish and its callbacks to be acknowledged', (d) => over(d) && d.unsent === 0, 50);
    reader.close();
    const final = await op.call('workflows.run', { runId: run.id });
    const attempts = await op.call('workflows.attempts', { runId: run.id });
    const logs = await op.call('workflows.logs', { runId: run.id, stepId: 'os_install', limit: 10_000 });
    const exported = JSON.parse((await op.call('inventory.export', { format: 'json' })).text) as InventoryDocument;
    // The fleet at the end, as an operator's own tools see it: every host as installed, with the key the console accepted.
    const atEnd = await look(final.tasks.map((t) => ({ step_id: t.stepId, host: t.host, state: t.state, outputs: t.outputs === null ? null : JSON.stringify(t.outputs) })), true);
    await l.stop();
    expect(outboxUnsent(dataDir), 'outbox rows never acknowledged').toEqual([]);
    const durationS = Math.round((Date.now() - t0) / 1000);
    const summary = `${why}; ${durationS} s; kills: ${kills.map((x) => `${x.n} ${x.aim}: done=${x.done} [${x.active.join(' ')}]${x.unsent ? ` unsent=${x.unsent}` : ''}${x.receiverHolding ? ` held=${x.receiverHolding}` : ''} (${x.restartMs} ms)`).join('; ')}`;
    console.log(summary);
    if (process.env.SERVE_CRASH_DEBUG) {
      for (const a of attempts.filter((x) => x.state === 'failed' || x.by !== 'engine' || x.stepId === 'os_install')) console.log(`${a.startedAt - t0} ${key(a)} #${a.attempt} ${a.state} ${a.failure ?? ''} by ${a.by}: ${a.error ?? ''}`);
      console.log(lives.map((lv, i) => `life ${i + 1}: ${lv.startedAt - t0}..${lv.endedAt ? lv.endedAt - t0 : 'end'} looked at ${lv.check?.hosts} hosts, ${lv.check?.ok} as installed by ${lv.check ? lv.check.lastOkAt - t0 : '?'}; ${[...(lv.check?.wrong ?? []), ...(lv.check?.silent.map((x) => `${x.what} at ${x.at - t0}`) ?? [])].join('; ')} | ${lv.labLog.join(' | ')}`).join('\n'));
      console.log(retries.map((r) => `${r.stepId}@${r.host} ${r.failure}`).join('\n'));
      console.log(`the last serve's output:\n${serve.output.join('\n')}`);
      console.log(hosts.map((d) => `${d.id}: CMDB hostname ${exported.devices.find((x) => x.id === d.id)?.hostname}, installed as ${hostnames[d.sn]}`).join('\n'));
    }

    // The run finished with every host online.
    expect(final.tasks.filter((t: WfTask) => t.state !== 'succeeded').map((t) => [t.stepId, t.host, t.state, t.failure, t.error]), summary).toEqual([]);
    expect(final.state, summary).toBe('succeeded');
    expect(final.tasks).toHaveLength(TASKS);
    // Online in the CMDB, under the hostname the flow gave it (a restart's lab import keeps what cmdb.set wrote).
    for (const d of hosts) expect(exported.devices.find((x) => x.id === d.id)?.lifecycle, d.id).toBe('online');
    expect(Object.fromEntries(hosts.map((d) => [d.sn, exported.devices.find((x) => x.id === d.id)?.hostname])), summary).toEqual(hostnames);
    for (const d of hosts) expect(final.tasks.find((t) => t.stepId === 'cmdb_online' && t.host === d.id)?.outputs, d.id).toMatchObject({ to: 'online', hostname: hostnames[d.sn] });
    expect(lingering, 'a lab child outlived its killed serve').toEqual([]);

    // Every kill landed mid-run, with what it aimed at.
    // Mid-run: the run open, or its last callbacks not yet acknowledged.
    expect(kills.filter((x) => x.runState !== 'running' && x.unsent === 0).map((x) => x.n), summary).toEqual([]);
    expect(kills.filter((x) => x.firstCalls > 0).length, `a kill inside os.install's first call (${summary})`).toBeGreaterThanOrEqual(1);
    expect(kills.filter((x) => x.installing > 0).length, `kills while installs were in flight (${summary})`).toBeGreaterThanOrEqual(3);
    expect(kills.filter((x) => x.receiverHolding > 0).length, `a kill while a delivery waited for its answer (${summary})`).toBeGreaterThanOrEqual(1);

    const byTask = new Map<string, WfAttempt[]>();
    for (const a of attempts) byTask.set(key(a), [...(byTask.get(key(a)) ?? []), a]);

    for (const [i, lv] of lives.entries()) {
      const j = lv.journal;
      const label = `restart ${i + 1} (${summary})`;
      const now = new Map(lv.after.map((a) => [`${key(a)}#${a.attempt}`, a]));
      for (const a of j.attempts) {
        const seen = now.get(`${a.step_id}@${a.host}#${a.attempt}`);
        expect(seen, `${a.step_id}@${a.host} attempt ${a.attempt} is gone after ${label}`).toBeDefined();
        if (a.finished_at !== null) {
          // Finished attempts are history: untouched by the restart.
          expect([seen!.state, seen!.failure, seen!.startedAt, seen!.finishedAt], `${a.step_id}@${a.host} attempt ${a.attempt}, ${label}`).toEqual([a.state, a.failure, a.started_at, a.finished_at]);
        }
      }
      for (const t of j.tasks) {
        const mine = byTask.get(`${t.step_id}@${t.host}`) ?? [];
        if (t.state === 'succeeded') {
          // A finished step never runs again: not after this restart, not till the end.
          expect(mine.map((a) => a.attempt), `${t.step_id}@${t.host} ran again after it succeeded, ${label}`).toEqual(Array.from({ length: t.attempt }, (_, n) => n + 1));
          continue;
        }
        if (t.a_open !== 1) continue;
        const cut = mine.find((a) => a.attempt === t.attempt)!;
        if (t.state === 'running') {
          // In its call when the kill came: closed as interrupted (the idempotent ones run again, os.install waits for the operator).
          expect([cut.state, cut.failure], `${t.step_id}@${t.host} attempt ${t.attempt}, running at the kill, ${label}`).toEqual(['failed', 'interrupted']);
          expect(cut.error ?? '', `${t.step_id}@${t.host}`).toMatch(t.step_id === 'os_install' ? /is not idempotent, so it is not run again/ : /it is run again/);
        } else {
          // Waiting (a poll between checks, an install awaiting its callback): the same attempt went on.
          expect(cut.failure, `${t.step_id}@${t.host} attempt ${t.attempt}, ${t.state} at the kill, ${label}`).not.toBe('interrupted');
        }
      }
    }

    // No attempt started before its host's previous step had succeeded (the run resumes where it was, never ahead).
    const finishedAt = new Map(final.tasks.map((t) => [key(t), t.finishedAt!]));
    for (const a of attempts) {
      const s = STEPS.indexOf(a.stepId);
      if (s > 0) expect(a.startedAt, `${key(a)} attempt ${a.attempt} started before ${STEPS[s - 1]} succeeded (${summary})`).toBeGreaterThanOrEqual(finishedAt.get(`${STEPS[s - 1]}@${a.host}`)!);
    }

    // The lab came back by itself after every restart: from its state file (never a refused one), with every host
    // the journal had installed answering as installed: no other answer ever, and no silence before the next kill.
    for (const [i, lv] of lives.entries()) {
      expect(lv.labLog.filter((x) => /ignored|cannot write/.test(x)), `restart ${i + 1}: the lab state file`).toEqual([]);
      const installedAtDeath = lv.journal.tasks.some((t) => t.step_id === 'os_install' && t.state === 'succeeded');
      if (installedAtDeath) expect(lv.labLog.some((x) => /lab state: restored from /.test(x)), `restart ${i + 1}: ${lv.labLog.join(' | ')}`).toBe(true);
      expect(lv.check!.wrong, `restart ${i + 1}: hosts not as installed (${summary})`).toEqual([]);
      expect(lv.check!.silent.filter((x) => lv.endedAt === null || x.at < lv.endedAt).map((x) => x.what), `restart ${i + 1}: hosts silent (${summary})`).toEqual([]);
    }
    // Seen as installed after a restart by that restart's lab (answers before the next serve started; a dying lab still answers).
    const looked = lives.filter((lv) => lv.check!.ok > 0 && (lv.nextAt === null || lv.check!.lastOkAt < lv.nextAt));
    expect([atEnd.hosts, atEnd.keys, atEnd.ok, atEnd.wrong, atEnd.silent], 'the fleet at the end').toEqual([HOSTS, HOSTS, HOSTS, [], []]);
    expect(looked.length, `restarts after which installed hosts were seen as installed (${summary})`).toBeGreaterThanOrEqual(3);

    // Failed attempts: only those a kill cut short.
    const failed = attempts.filter((a) => a.state === 'failed');
    expect(failed.filter((a) => a.failure !== 'interrupted').map((a) => `${key(a)} #${a.attempt} ${a.failure}: ${a.error}`), summary).toEqual([]);
    // An interrupted os.install was retried by the operator, never by the engine.
    const installCut = failed.filter((a) => a.stepId === 'os_install');
    expect(installCut.length, `interrupted os_install attempts (${summary})`).toBeGreaterThanOrEqual(1);
    for (const a of installCut) {
      expect(a.failure).toBe('interrupted');
      expect(byTask.get(key(a))!.find((b) => b.attempt === a.attempt + 1)?.by, `${key(a)} attempt ${a.attempt + 1}`).toBe(op.actor);
    }

    // The installer's callback completed each install exactly once: one accepted call per host, during the attempt
    // that succeeded, its body the step's output. (The SSH check cannot finish it here: the reinstalled host's new key
    // is left to ssh.acceptNewHostKey.)
    for (const d of hosts) {
      const calls = logs.filter((x) => x.host === d.id && x.line === 'the callback URL was called');
      const win = byTask.get(`os_install@${d.id}`)!.find((a) => a.state === 'succeeded')!;
      expect(calls.length, `accepted installer callbacks for ${d.id} (${summary})`).toBe(1);
      expect(calls[0].at).toBeGreaterThanOrEqual(win.startedAt);
      expect(calls[0].at).toBeLessThanOrEqual(win.finishedAt!);
      expect(win.outputs, d.id).toEqual({ sn: d.sn, hostname: hostnames[d.sn], os: OS, status: 'installed' });
    }

    // The flow's callback: one Idempotency-Key per host, every delivery of a key the same request, all acknowledged.
    const keys = [...new Set(receiver.deliveries.map((x) => x.key))].sort();
    expect(keys, summary).toEqual(ids.map((id) => `${run.id}/callback/${id}`).sort());
    for (const d of hosts) {
      const mine = receiver.deliveries.filter((x) => x.key === `${run.id}/callback/${d.id}`);
      expect(new Set(mine.map((x) => `${x.method} ${x.path} ${x.body}`)).size, `${d.id}: deliveries of one key differ`).toBe(1);
      expect(JSON.parse(mine[0].body)).toEqual({ sn: d.sn, hostname: hostnames[d.sn], os: OS, purpose: 'crash test', status: 'online' });
    }
    const redelivered = receiver.deliveries.length - keys.length;
    console.log(`serve crash test (${why}): ${durationS} s; serve starts ${l.starts.slice(1).join(', ')} ms; installed hosts seen as installed after ${looked.length} restarts (${looked.map((lv) => lv.check!.ok).join(',')}); ${failed.length} failed attempts (${failed.filter((a) => a.failure === 'interrupted').length} interrupted, ${installCut.length} of them os_install); operator retries ${retries.length}; ${receiver.deliveries.length} deliveries for ${keys.length} keys (${redelivered} sent again)`);
  }, 300_000);
});
