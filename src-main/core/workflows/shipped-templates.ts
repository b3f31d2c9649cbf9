// The workflow templates FleetDeck ships, saved as version 1 at start when no template of the
// same id is stored (a stored one, shipped or edited by an admin, is left as it is). None yet:
// the provisioning flows (server online, server offline, arrival stress test, inspection)
// come with their tools.
import type { WfTemplate } from '../../../src-shared/domain/workflow';

export const SHIPPED_TEMPLATES: readonly WfTemplate[] = [];
