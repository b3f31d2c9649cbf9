// A utilityProcess stand-in for the desktop lab bridge's tests: child_process.fork of an entry
// with Electron's utilityProcess events (spawn, message, exit with the waitpid code only) and
// methods (postMessage, kill, pid, stdout, stderr).
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { UtilityLike } from '../../src-main/electron/lab-bridge-main';

export class ForkedUtility extends EventEmitter implements UtilityLike {
  readonly child: ChildProcess;
  constructor(entry: string, execArgv: readonly string[]) {
    super();
    this.child = fork(entry, [], { execArgv: [...execArgv], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    this.child.once('spawn', () => this.emit('spawn'));
    this.child.on('message', (m) => this.emit('message', m));
    // Electron reports the waitpid code only.
    this.child.once('exit', (code) => this.emit('exit', code ?? 1));
  }
  get pid() {
    return this.child.pid;
  }
  get stdout() {
    return this.child.stdout;
  }
  get stderr() {
    return this.child.stderr;
  }
  postMessage(message: unknown): void {
    this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill();
  }
}
