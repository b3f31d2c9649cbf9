// English strings of the views that work at fleet scale: the overview's not-monitored and
// unreachable counts, the search box, bulk import/export transfers, pending control states.
// Spread into en.ts.
export const enScale = {
  // overview at scale
  'scale.total.unreachable': 'Unreachable',
  'scale.total.notMonitored': 'Not monitored',
  'scale.total.notMonitoredHint': 'No SNMP credential: never polled, not counted as failures',
  'scale.col.unreachable': 'Unreachable',
  'scale.col.notMonitored': 'Not monitored',
  'scale.site.notMonitored': 'Not monitored: no device here has an SNMP credential',
  'scale.site.someNotMonitored': '{n} not monitored',
  'scale.site.unreachable': '{n} unreachable',
  'scale.site.answeringOfMonitored': '{answering} / {monitored} monitored answering',
  // search
  'scale.search.label': 'Search devices',
  'scale.search.placeholder': 'Search SN, hostname, IP  ( / )',
  'scale.search.searching': 'Searching…',
  'scale.search.none': 'No device matches “{q}”',
  'scale.search.hint': '↑ ↓ to choose, Enter to open, Esc to close',
  'scale.search.where': '{site} · {room} · {cabinet} · U{u}',
  'scale.search.match.exact': 'exact',
  'scale.search.match.prefix': 'prefix',
  'scale.search.match.typo': 'one typo',
  'scale.search.field.sn': 'SN',
  'scale.search.field.hostname': 'hostname',
  'scale.search.field.mgmtIp': 'management IP',
  'scale.search.field.bmcAddress': 'BMC IP',
  'scale.search.results': '{n} results',
  // bulk transfers
  'scale.transfer.download': 'Downloading: {loaded} of {total} ({percent}%)',
  'scale.transfer.downloadUnknown': 'Downloading: {loaded}',
  'scale.transfer.upload': 'Uploading {file}: {loaded} of {total} ({percent}%)',
  'scale.transfer.uploaded': 'Uploaded {file}; the core is validating and importing it…',
  'scale.transfer.cancelExport': 'Cancel export',
  'scale.transfer.exportCancelled': 'Export cancelled; no file was saved.',
  'scale.transfer.uploadStopped': 'The upload of {file} was stopped before the whole file was sent: nothing was imported.',
  // pending control states
  'scale.pending.off': 'powering off…',
  'scale.pending.on': 'powering on…',
  'scale.pending.restart': 'restarting…',
  'scale.pending.title': 'Waiting for the poller to confirm the {action} (since {time})',
} as const;

export type ScaleDictionary = Record<keyof typeof enScale, string>;
