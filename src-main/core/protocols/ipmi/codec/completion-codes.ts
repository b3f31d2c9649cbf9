// IPMI completion codes (IPMI v2.0 table 5-2) and their names.

export const CC = {
  OK: 0x00,
  NODE_BUSY: 0xc0,
  INVALID_COMMAND: 0xc1,
  INVALID_FOR_LUN: 0xc2,
  TIMEOUT: 0xc3,
  OUT_OF_SPACE: 0xc4,
  RESERVATION_CANCELLED: 0xc5,
  DATA_TRUNCATED: 0xc6,
  DATA_LENGTH_INVALID: 0xc7,
  DATA_LENGTH_EXCEEDED: 0xc8,
  PARAMETER_OUT_OF_RANGE: 0xc9,
  CANNOT_RETURN_BYTES: 0xca,
  NOT_PRESENT: 0xcb,
  INVALID_DATA_FIELD: 0xcc,
  ILLEGAL_FOR_SENSOR: 0xcd,
  NO_RESPONSE: 0xce,
  DUPLICATE_REQUEST: 0xcf,
  SDR_UPDATE_MODE: 0xd0,
  FIRMWARE_UPDATE_MODE: 0xd1,
  BMC_INITIALIZING: 0xd2,
  DESTINATION_UNAVAILABLE: 0xd3,
  INSUFFICIENT_PRIVILEGE: 0xd4,
  NOT_SUPPORTED_IN_STATE: 0xd5,
  SUBFUNCTION_DISABLED: 0xd6,
  UNSPECIFIED: 0xff,
} as const;

const TEXT: Record<number, string> = {
  [CC.OK]: 'command completed normally',
  [CC.NODE_BUSY]: 'node busy',
  [CC.INVALID_COMMAND]: 'invalid command',
  [CC.INVALID_FOR_LUN]: 'invalid command for this LUN',
  [CC.TIMEOUT]: 'timeout while processing the command',
  [CC.OUT_OF_SPACE]: 'out of space',
  [CC.RESERVATION_CANCELLED]: 'reservation cancelled or invalid',
  [CC.DATA_TRUNCATED]: 'request data truncated',
  [CC.DATA_LENGTH_INVALID]: 'request data length invalid',
  [CC.DATA_LENGTH_EXCEEDED]: 'request data field length limit exceeded',
  [CC.PARAMETER_OUT_OF_RANGE]: 'parameter out of range',
  [CC.CANNOT_RETURN_BYTES]: 'cannot return the number of requested data bytes',
  [CC.NOT_PRESENT]: 'requested sensor, data or record not present',
  [CC.INVALID_DATA_FIELD]: 'invalid data field in request',
  [CC.ILLEGAL_FOR_SENSOR]: 'command illegal for this sensor or record type',
  [CC.NO_RESPONSE]: 'command response could not be provided',
  [CC.DUPLICATE_REQUEST]: 'duplicated request',
  [CC.SDR_UPDATE_MODE]: 'SDR repository in update mode',
  [CC.FIRMWARE_UPDATE_MODE]: 'device in firmware update mode',
  [CC.BMC_INITIALIZING]: 'BMC initialization in progress',
  [CC.DESTINATION_UNAVAILABLE]: 'destination unavailable',
  [CC.INSUFFICIENT_PRIVILEGE]: 'insufficient privilege level',
  [CC.NOT_SUPPORTED_IN_STATE]: 'not supported in the present state',
  [CC.SUBFUNCTION_DISABLED]: 'sub-function disabled or unavailable',
  [CC.UNSPECIFIED]: 'unspecified error',
};

export function completionCodeText(code: number): string {
  if (TEXT[code]) return TEXT[code];
  if (code >= 0x01 && code <= 0x7e) return 'device-specific (OEM) completion code';
  if (code >= 0x80 && code <= 0xbe) return 'command-specific completion code';
  return 'unknown completion code';
}
