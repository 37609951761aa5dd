export {
  createOrganizer,
  ensureDefaultOrganizer,
  listOrganizers,
  organizerBySlug,
  type Organizer,
} from './organizers';
