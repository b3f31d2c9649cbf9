// The deploy workflow's named failures, so the run view and the renderer can tell them apart
// (name, code, params cross the contract): a host FleetDeck cannot run the agent on, a
// release that does not exist, and the three ways an activation ends without the target
// running: rolled back to the version before (the host runs that again), nothing to roll back
// to (the agent is stopped), and a rollback that did not come healthy either. Each message
// says the version that failed and why (the last meaningful line of the agent's log).
// UNAVAILABLE for the activation failures: the step declares no automatic retry (a bad build
// does not heal by waiting; an operator retries after a fix); BAD_REQUEST and NOT_FOUND are
// refusals the engine never retries.
import { FleetDeckError } from '../../../../src-shared/errors';

/** The host is not Linux x86_64 (what it is, as uname said it). */
export class UnsupportedHostError extends FleetDeckError {
  constructor(readonly hostname: string, readonly found: string) {
    super('BAD_REQUEST', `${hostname} runs ${found || 'an unknown system'}: the agent runs on Linux x86_64 only for now`, { hostname, found });
    this.name = 'UnsupportedHostError';
  }
}

/** No release of that version: neither the built-in bundle nor a directory under releasesDir. */
export class AgentReleaseNotFoundError extends FleetDeckError {
  constructor(readonly version: string, known: readonly string[], why?: string) {
    super('NOT_FOUND', `There is no agent release ${version}${why ? ` (${why})` : ''}; known: ${known.join(', ') || 'none'}`, { what: 'agent release', id: version, known });
    this.name = 'AgentReleaseNotFoundError';
  }
}

const reasonText = (reason: string | null): string => reason ?? 'its log says nothing';

/** The target did not come healthy; the previous version was started again and reports healthy. */
export class AgentRolledBackError extends FleetDeckError {
  constructor(readonly hostname: string, readonly version: string, readonly reason: string | null, readonly previous: string, windowMs: number) {
    super(
      'UNAVAILABLE',
      `agent ${version} did not come healthy on ${hostname} within ${Math.round(windowMs / 1000)} s: ${reasonText(reason)}; rolled back: ${hostname} runs ${previous} again`,
      { hostname, version, reason, previous },
    );
    this.name = 'AgentRolledBackError';
  }
}

/** The target did not come healthy and there was no earlier version: the agent is stopped. */
export class AgentNothingToRollBackError extends FleetDeckError {
  constructor(readonly hostname: string, readonly version: string, readonly reason: string | null, windowMs: number, stopError: string | null = null) {
    super(
      'UNAVAILABLE',
      `agent ${version} did not come healthy on ${hostname} within ${Math.round(windowMs / 1000)} s: ${reasonText(reason)}; there was nothing to roll back to: ` +
        (stopError ? `stopping it failed too (${stopError})` : 'the agent is stopped'),
      { hostname, version, reason, stopError },
    );
    this.name = 'AgentNothingToRollBackError';
  }
}

/** Neither the target nor the previous version came healthy. */
export class AgentRollbackFailedError extends FleetDeckError {
  constructor(readonly hostname: string, readonly version: string, readonly reason: string | null, readonly previous: string, readonly previousReason: string | null, windowMs: number) {
    super(
      'UNAVAILABLE',
      `agent ${version} did not come healthy on ${hostname} within ${Math.round(windowMs / 1000)} s: ${reasonText(reason)}; ` +
        `the rollback to ${previous} did not come healthy either: ${reasonText(previousReason)} (its supervisor keeps restarting it)`,
      { hostname, version, reason, previous, previousReason },
    );
    this.name = 'AgentRollbackFailedError';
  }
}

/** A rollback was asked for, but the host keeps no other version. */
export class NoPreviousVersionError extends FleetDeckError {
  constructor(readonly hostname: string, current: string | null) {
    super('CONFLICT', `${hostname} keeps no version to roll back to${current ? ` (it runs ${current})` : ' (no agent is installed)'}`, { hostname, current });
    this.name = 'NoPreviousVersionError';
  }
}

/** A command on the host failed: which one (by what it does), its exit and stderr. */
export class HostCommandError extends FleetDeckError {
  constructor(readonly hostname: string, readonly what: string, exit: string, stderr: string) {
    super('UNAVAILABLE', `${hostname}: ${what} failed (${exit})${stderr ? `: ${stderr}` : ''}`, { hostname, what, exit, stderr });
    this.name = 'HostCommandError';
  }
}
