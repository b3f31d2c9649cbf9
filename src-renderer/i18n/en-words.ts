// English wording of the core's errors (by name, from their params; by code where no name
// is known) and of fleet events (by code, from their params). Each template reproduces
// the core's English message exactly, so English screens read as they did. Spread into en.ts.
export const enWords = {
  'err.forbidden': '"{method}" needs the {required} role; this session is {actual}',
  'err.notFound': '{what} "{id}" does not exist',
  'err.validation.call': '{method}: "{field}" {problem}',
  'err.validation.callMore': '{method}: "{field}" {problem} (and {more} more)',
  'err.validation.field': '"{field}" is not valid',
  'err.validation.fileOne': '{n} problem in the {format} file; nothing was imported',
  'err.validation.fileOther': '{n} problems in the {format} file; nothing was imported',
  'err.validation.issuesOne': '{n} problem; nothing was changed',
  'err.validation.issuesOther': '{n} problems; nothing was changed',
  'err.unavailable': 'What this needs cannot be reached right now.',
  'err.unauthenticated': 'The server does not accept this session: the token is missing, unknown or revoked.',
  'err.what.device': 'device',
  'err.what.cabinet': 'cabinet',
  'err.what.room': 'room',
  'err.what.site': 'site',
  'err.what.row': 'row',
  'err.what.run': 'run',
  'err.what.credential': 'credential',
  'err.detail': 'The core said',
  'ev.status.changed': '{hostname}: {previous} -> {status}',
  'ev.interface.changed': '{hostname} {name}: {previous} -> {status}',
  'ev.trap.received': '{source}: {kind} {name} (SNMPv{version})',
  'ev.control.power': '{hostname}: power {action} (now {power})',
  'ev.control.identify': '{hostname}: identify LED on for {seconds} s',
  'ev.control.identifyForced': '{hostname}: identify LED on until turned off',
  'ev.control.bootOnce': '{hostname}: boot device {device} (next boot)',
  'ev.control.bootPersistent': '{hostname}: boot device {device} (persistent)',
  'ev.control.hostKeyForgotten': '{hostname}: SSH host key {fingerprint} forgotten; the next key it presents will be pinned',
  'ev.control.hostKeyForgottenNone': '{hostname}: SSH host key (none pinned) forgotten; the next key it presents will be pinned',
} as const;

/** Every language's error and event wording: exactly these keys. */
export type WordsDictionary = { readonly [K in keyof typeof enWords]: string };
