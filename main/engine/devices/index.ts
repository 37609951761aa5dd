/**
 * Scanner devices (pretix's Device): created by the organizer, paired with a one-time token, then
 * authenticated by their API token; and the automatic event selection they ask for.
 */
export {
  authenticateDevice,
  createDevice,
  createDeviceForPairing,
  deviceByPk,
  deviceLookups,
  deviceMaySeeEvent,
  deviceSelf,
  DEVICE_REVOKED_MESSAGE,
  getDevice,
  initializeDevice,
  listDevices,
  pairingPayload,
  PRETIX_VERSION,
  PRETIX_VERSION_NUMERIC,
  revokeDevice,
  rollDeviceToken,
  SECURITY_PROFILES,
  updateDevice,
  updateDeviceHardware,
  type Device,
  type DeviceInput,
  type DeviceSelf,
  type HardwareInput,
  type PairingPayload,
  type SecurityProfile,
} from './devices';
export {
  selectEventForDevice,
  type CurrentSelection,
  type EventSelection,
  type SuggestedSelection,
} from './event-selection';
