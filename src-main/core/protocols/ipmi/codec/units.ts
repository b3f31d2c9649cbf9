// IPMI sensor unit type codes (IPMI v2.0 table 43-15) and sensor type codes (table 42-3),
// worded as ipmitool prints them so FleetDeck's output can be compared with ipmitool's.

export const UNIT_NAMES: readonly string[] = [
  'unspecified', 'degrees C', 'degrees F', 'degrees K', 'Volts', 'Amps', 'Watts', 'Joules', 'Coulombs', 'VA', 'Nits', 'lumen',
  'lux', 'Candela', 'kPa', 'PSI', 'Newton', 'CFM', 'RPM', 'Hz', 'microsecond', 'millisecond', 'second', 'minute', 'hour', 'day',
  'week', 'mil', 'inches', 'feet', 'cu in', 'cu feet', 'mm', 'cm', 'm', 'cu cm', 'cu m', 'liters', 'fluid ounce', 'radians',
  'steradians', 'revolutions', 'cycles', 'gravities', 'ounce', 'pound', 'ft-lb', 'oz-in', 'gauss', 'gilberts', 'henry',
  'millihenry', 'farad', 'microfarad', 'ohms', 'siemens', 'mole', 'becquerel', 'PPM', 'reserved', 'Decibels', 'DbA', 'DbC',
  'gray', 'sievert', 'color temp deg K', 'bit', 'kilobit', 'megabit', 'gigabit', 'byte', 'kilobyte', 'megabyte', 'gigabyte',
  'word', 'dword', 'qword', 'line', 'hit', 'miss', 'retry', 'reset', 'overflow', 'underrun', 'collision', 'packets',
  'messages', 'characters', 'error', 'correctable error', 'uncorrectable error', 'fatal error', 'grams',
];

export function unitName(code: number): string {
  return UNIT_NAMES[code] ?? 'unknown';
}

export const UNIT = { DEGREES_C: 1, VOLTS: 4, AMPS: 5, WATTS: 6, RPM: 18 } as const;

export const SENSOR_TYPE_NAMES: readonly string[] = [
  'reserved', 'Temperature', 'Voltage', 'Current', 'Fan', 'Physical Security', 'Platform Security', 'Processor',
  'Power Supply', 'Power Unit', 'Cooling Device', 'Other', 'Memory', 'Drive Slot / Bay', 'POST Memory Resize',
  'System Firmwares', 'Event Logging Disabled', 'Watchdog1', 'System Event', 'Critical Interrupt', 'Button',
  'Module / Board', 'Microcontroller', 'Add-in Card', 'Chassis', 'Chip Set', 'Other FRU', 'Cable / Interconnect',
  'Terminator', 'System Boot Initiated', 'Boot Error', 'OS Boot', 'OS Critical Stop', 'Slot / Connector',
  'System ACPI Power State', 'Watchdog2', 'Platform Alert', 'Entity Presence', 'Monitor ASIC', 'LAN',
  'Management Subsys Health', 'Battery', 'Session Audit', 'Version Change', 'FRU State',
];

export function sensorTypeName(code: number): string {
  if (SENSOR_TYPE_NAMES[code]) return SENSOR_TYPE_NAMES[code];
  if (code >= 0xc0) return 'OEM';
  return 'Unknown';
}

export const SENSOR_TYPE = { TEMPERATURE: 0x01, VOLTAGE: 0x02, CURRENT: 0x03, FAN: 0x04, POWER_SUPPLY: 0x08, POWER_UNIT: 0x09, SYSTEM_EVENT: 0x12 } as const;
