// Numbers from the IPMI v2.0 spec that more than one codec module needs.

export const RMCP_VERSION = 0x06;
export const RMCP_SEQ_NO_ACK = 0xff;
export const RMCP_CLASS_ASF = 0x06;
export const RMCP_CLASS_IPMI = 0x07;
export const ASF_IANA = 4542;

/** Session header authentication types (IPMI 1.5) and the RMCP+ format marker. */
export const AUTH_TYPE = { NONE: 0x00, MD2: 0x01, MD5: 0x02, PASSWORD: 0x04, OEM: 0x05, RMCP_PLUS: 0x06 } as const;

/** RMCP+ payload types (low 6 bits of the payload type byte). */
export const PAYLOAD = {
  IPMI: 0x00,
  SOL: 0x01,
  OEM: 0x02,
  OPEN_SESSION_REQUEST: 0x10,
  OPEN_SESSION_RESPONSE: 0x11,
  RAKP1: 0x12,
  RAKP2: 0x13,
  RAKP3: 0x14,
  RAKP4: 0x15,
} as const;

export const PRIVILEGE = { CALLBACK: 1, USER: 2, OPERATOR: 3, ADMINISTRATOR: 4, OEM: 5 } as const;
export type PrivilegeLevel = 1 | 2 | 3 | 4 | 5;

export const NETFN = {
  CHASSIS: 0x00,
  SENSOR_EVENT: 0x04,
  APP: 0x06,
  FIRMWARE: 0x08,
  STORAGE: 0x0a,
  TRANSPORT: 0x0c,
  GROUP_EXTENSION: 0x2c,
} as const;

export const CMD = {
  // chassis
  GET_CHASSIS_CAPABILITIES: 0x00,
  GET_CHASSIS_STATUS: 0x01,
  CHASSIS_CONTROL: 0x02,
  CHASSIS_IDENTIFY: 0x04,
  SET_SYSTEM_BOOT_OPTIONS: 0x08,
  GET_SYSTEM_BOOT_OPTIONS: 0x09,
  // sensor/event
  GET_SENSOR_HYSTERESIS: 0x25,
  GET_SENSOR_THRESHOLDS: 0x27,
  GET_SENSOR_EVENT_ENABLE: 0x29,
  GET_SENSOR_READING: 0x2d,
  // app
  GET_DEVICE_ID: 0x01,
  GET_DEVICE_GUID: 0x08,
  GET_CHANNEL_AUTH_CAPABILITIES: 0x38,
  GET_SESSION_CHALLENGE: 0x39,
  ACTIVATE_SESSION: 0x3a,
  SET_SESSION_PRIVILEGE: 0x3b,
  CLOSE_SESSION: 0x3c,
  GET_CHANNEL_CIPHER_SUITES: 0x54,
  // storage
  GET_SDR_REPOSITORY_INFO: 0x20,
  RESERVE_SDR_REPOSITORY: 0x22,
  GET_SDR: 0x23,
  GET_SEL_INFO: 0x40,
  RESERVE_SEL: 0x42,
  GET_SEL_ENTRY: 0x43,
  CLEAR_SEL: 0x47,
  GET_SEL_TIME: 0x48,
  // DCMI (group extension 0xDC)
  DCMI_GET_CAPABILITIES: 0x01,
  DCMI_GET_POWER_READING: 0x02,
} as const;

export const DCMI_GROUP = 0xdc;
export const BMC_SLAVE_ADDRESS = 0x20;
export const REMOTE_CONSOLE_ADDRESS = 0x81;
