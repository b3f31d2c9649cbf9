// The lab's PXE server as the install tool's PxeServer: an install is staged as the lab's
// install profile for the server (LabModule / LabLink / LabFleet setInstallProfile), which the
// server's next PXE boot installs, calling back the step's one-time URL. The lab takes its own
// OS templates only, and callback URLs on 127.0.0.0/8 or [::1] (its refusals keep its words).
import { LAB_OS_TEMPLATES, type LabInstallProfile, type LabOsTemplate, type LabStatus } from '../../../src-shared/domain';
import { FleetDeckError } from '../../../src-shared/errors';
import type { PxeServer } from './deps';

export interface LabInstallProfiles {
  setInstallProfile(deviceId: string, profile: LabInstallProfile | null): Promise<LabStatus>;
}

export function labPxe(lab: LabInstallProfiles): PxeServer {
  return {
    async stage(req) {
      if (!(LAB_OS_TEMPLATES as readonly string[]).includes(req.os)) {
        throw new FleetDeckError('VALIDATION', `the lab's PXE server has no image "${req.os}" (it has ${LAB_OS_TEMPLATES.join(', ')})`, { field: 'os', os: req.os });
      }
      const profile: LabInstallProfile = {
        os: req.os as LabOsTemplate,
        hostname: req.hostname,
        durationMs: req.durationMs,
        ...(req.callbackUrl ? { callback: { url: req.callbackUrl, method: 'POST' as const } } : {}),
      };
      await lab.setInstallProfile(req.deviceId, profile);
    },
    async unstage(deviceId) {
      await lab.setInstallProfile(deviceId, null);
    },
  };
}
