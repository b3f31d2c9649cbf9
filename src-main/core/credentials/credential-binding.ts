// The binding rule: a device's credential for a role is used only while the device's
// reference and the role's endpoint are the ones bound (store/binding-repository.ts). Every
// use of a device credential (poller, device page interfaces, BMC, SSH runs, credentials.test)
// goes through the resolver's check (credential-resolver.ts), which throws
// CredentialUnboundError before anything is sent: no connection, no packet.
import type { CredentialBindingState, CredentialRole } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import {
  endpointText, roleEndpoint, roleReference, type BindingRepository, type BindingSubject, type StoredBinding,
} from '../store/binding-repository';

/** One use of a credential: what the console is about to send, for which device and role, where. */
export interface CredentialUseAt {
  readonly deviceId: string;
  readonly role: CredentialRole;
  readonly credentialId: string;
  readonly host: string;
  readonly port: number;
}

const ROLE_WORD: Readonly<Record<CredentialRole, string>> = { snmp: 'SNMP', ssh: 'SSH', ipmi: 'IPMI' };

/** The device's credential is not bound to where it would be sent (CONFLICT: an admin binds it, credentials.bind). */
export class CredentialUnboundError extends FleetDeckError {
  constructor(use: CredentialUseAt, hostname?: string) {
    const endpoint = endpointText(use);
    super(
      'CONFLICT',
      `the ${ROLE_WORD[use.role]} credential ${use.credentialId} of ${hostname ?? use.deviceId} is not bound to ${endpoint}; an admin must bind it`,
      { deviceId: use.deviceId, role: use.role, credentialId: use.credentialId, endpoint },
    );
    this.name = 'CredentialUnboundError';
  }
}

/** The use a device makes of its credential for a role now; null without a reference (or, for ipmi, a BMC address). */
export function useOf(dev: BindingSubject, role: CredentialRole): CredentialUseAt | null {
  const credentialId = roleReference(dev, role);
  const at = roleEndpoint(dev, role);
  return credentialId === null || at === null ? null : { deviceId: dev.id, role, credentialId, host: at.host, port: at.port };
}

/**
 * Whether a binding allows a use: the same endpoint and, unless `anyCredential` (an admin's
 * credentials.test of another credential at a device's bound endpoint), the same credential.
 */
export function bindingAllows(use: CredentialUseAt, binding: StoredBinding | undefined, anyCredential = false): boolean {
  if (!binding || binding.host !== use.host || binding.port !== use.port) return false;
  return anyCredential || binding.credentialId === use.credentialId;
}

/** A device's three roles: what each refers to now and whether that is bound. */
export function bindingStates(dev: BindingSubject, bindings: Pick<BindingRepository, 'ofDevice'>): CredentialBindingState[] {
  const stored = new Map(bindings.ofDevice(dev.id).map((b) => [b.role, b]));
  return (['snmp', 'ssh', 'ipmi'] as const).map((role) => {
    const use = useOf(dev, role);
    const at = roleEndpoint(dev, role);
    const binding = stored.get(role) ?? null;
    const bound = use !== null && binding !== null && binding.credentialId === use.credentialId && binding.endpoint === endpointText(use);
    return { role, credentialId: roleReference(dev, role), endpoint: at ? endpointText(at) : '', bound, binding };
  });
}
