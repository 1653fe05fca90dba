import { DomainError } from '@metaspo/service-kit';

/**
 * A malformed input. The message names the file, where in it (a line or record number) and
 * the field, so a user can open the file and fix that spot.
 */
export function importError(file: string, location: string | null, field: string | null, reason: string) {
  const where = [location, field === null ? null : `field "${field}"`].filter(Boolean).join(', ');
  return new DomainError('INVALID_INPUT', `${file}${where ? `: ${where}` : ''}: ${reason}`, {
    details: { file, location, field },
  });
}
