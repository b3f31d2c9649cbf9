// The workflow engine's refusals that are not a bad value: an operator action on a task or
// run in the wrong state (CONFLICT, naming the state it is in), and an unknown run, task or
// callback token (NOT_FOUND).
import { FleetDeckError, NotFoundError } from '../../../src-shared/errors';

export class WorkflowStateError extends FleetDeckError {
  constructor(message: string, params: Record<string, unknown>) {
    super('CONFLICT', message, params);
    this.name = 'WorkflowStateError';
  }
}

export function runNotFound(runId: string): NotFoundError {
  return new NotFoundError('workflow run', runId);
}

export function taskNotFound(runId: string, stepId: string, host: string): FleetDeckError {
  return new FleetDeckError('NOT_FOUND', `Run ${runId} has no step ${stepId}${host ? ` on host ${host}` : ' (run scope)'}`, { what: 'workflow task', runId, stepId, host });
}

export function tokenNotFound(token: string): FleetDeckError {
  // Only a prefix: the token is a bearer secret and this message reaches logs.
  return new FleetDeckError('NOT_FOUND', 'This callback URL is not known (never issued, or replaced by a later attempt)', { what: 'callback token', token: `${token.slice(0, 6)}...` });
}
