/** The installation's preferences: read model and command. */
export {
  DEFAULT_DESK_SETTINGS,
  deskName,
  readDeskSettings,
  updateDeskSettings,
  type DeskLocale,
  type DeskSettings,
} from './desk-settings';
