// IPMI event offsets (v2.0 tables 42-2 and 42-3) in ipmitool's words: the core's SEL decoder
// describes entries with them, and the renderer's English wording of a SelEntry is the same table.
export const THRESHOLD_EVENTS: readonly string[] = [
  'Lower Non-critical going low', 'Lower Non-critical going high', 'Lower Critical going low', 'Lower Critical going high',
  'Lower Non-recoverable going low', 'Lower Non-recoverable going high', 'Upper Non-critical going low', 'Upper Non-critical going high',
  'Upper Critical going low', 'Upper Critical going high', 'Upper Non-recoverable going low', 'Upper Non-recoverable going high',
];

/** Generic discrete event/reading types 0x02-0x0c, by type. */
export const GENERIC_EVENTS: Readonly<Record<number, readonly string[]>> = {
  0x02: ['Transition to Idle', 'Transition to Active', 'Transition to Busy'],
  0x03: ['State Deasserted', 'State Asserted'],
  0x04: ['Predictive Failure Deasserted', 'Predictive Failure Asserted'],
  0x05: ['Limit Not Exceeded', 'Limit Exceeded'],
  0x06: ['Performance Met', 'Performance Lags'],
  0x07: [
    'Transition to OK', 'Transition to Non-critical from OK', 'Transition to Critical from less severe', 'Transition to Non-recoverable from less severe',
    'Transition to Non-critical from more severe', 'Transition to Critical from Non-recoverable', 'Transition to Non-recoverable', 'Monitor', 'Informational',
  ],
  0x08: ['Device Absent', 'Device Present'],
  0x09: ['Device Disabled', 'Device Enabled'],
  0x0a: [
    'Transition to Running', 'Transition to In Test', 'Transition to Power Off', 'Transition to On Line', 'Transition to Off Line',
    'Transition to Off Duty', 'Transition to Degraded', 'Transition to Power Save', 'Install Error',
  ],
  0x0b: [
    'Fully Redundant', 'Redundancy Lost', 'Redundancy Degraded', 'Non-Redundant: Sufficient from Redundant', 'Non-Redundant: Sufficient from Insufficient',
    'Non-Redundant: Insufficient Resources', 'Redundancy Degraded from Fully Redundant', 'Redundancy Degraded from Non-Redundant',
  ],
  0x0c: ['D0 Power State', 'D1 Power State', 'D2 Power State', 'D3 Power State'],
};

/** Sensor-specific offsets (event/reading type 0x6f), by sensor type. */
export const SENSOR_SPECIFIC_EVENTS: Readonly<Record<number, readonly string[]>> = {
  0x05: ['General Chassis intrusion', 'Drive Bay intrusion', 'I/O Card area intrusion', 'Processor area intrusion', 'System unplugged from LAN', 'Unauthorized dock', 'FAN area intrusion'],
  0x07: [
    'IERR', 'Thermal Trip', 'FRB1/BIST failure', 'FRB2/Hang in POST failure', 'FRB3/Processor startup/init failure', 'Configuration Error',
    'SM BIOS Uncorrectable CPU-complex Error', 'Presence detected', 'Disabled', 'Terminator presence detected', 'Throttled',
    'Uncorrectable machine check exception', 'Correctable machine check error',
  ],
  0x08: ['Presence detected', 'Failure detected', 'Predictive failure', 'Power Supply AC lost', 'AC lost or out-of-range', 'AC out-of-range, but present', 'Config Error'],
  0x09: ['Power off/down', 'Power cycle', '240VA power down', 'Interlock power down', 'AC lost', 'Soft-power control failure', 'Failure detected', 'Predictive failure'],
  0x0c: [
    'Correctable ECC', 'Uncorrectable ECC', 'Parity', 'Memory Scrub Error', 'Memory Device Disabled', 'Correctable ECC logging limit reached',
    'Presence Detected', 'Configuration Error', 'Spare', 'Throttled', 'Critical Overtemperature',
  ],
  0x10: ['Correctable memory error logging disabled', 'Event logging disabled', 'Log area reset/cleared', 'All event logging disabled', 'Log full', 'Log almost full'],
  0x12: ['System Reconfigured', 'OEM System boot event', 'Undetermined system hardware failure', 'Entry added to auxiliary log', 'PEF Action', 'Timestamp Clock Sync'],
  0x1d: ['Initiated by power up', 'Initiated by hard reset', 'Initiated by warm reset', 'User requested PXE boot', 'Automatic boot to diagnostic'],
};
