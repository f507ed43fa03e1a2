import { AppError } from '@echopulse/service-kit';
import { ALL_PERMISSIONS } from './permission-rules';

// The permission rules themselves (bits, Discord's algorithm, hierarchy) live in
// permission-rules.ts, which the browser imports too; this adds the checked wire format.
export * from './permission-rules';

/** A permission bitfield string was not a decimal number of known bits. HTTP 400 `invalid_permissions`. */
export class InvalidPermissionsError extends AppError {
  constructor(message: string) {
    super(400, 'invalid_permissions', message);
  }
}

/** A bitfield as the decimal string used on the wire and in the database, e.g. `'3072'`. */
export function serializePermissions(permissions: bigint): string {
  if (permissions < 0n || (permissions & ~ALL_PERMISSIONS) !== 0n) {
    throw new InvalidPermissionsError(
      `permissions ${permissions} hold bits EchoPulse does not know (known: ${ALL_PERMISSIONS})`,
    );
  }
  return permissions.toString(10);
}

/**
 * Reads a decimal bitfield string. Refuses anything but a plain non-negative decimal integer
 * (no sign, no spaces, no leading zeros, no hex, at most 20 digits) and any bit EchoPulse does not
 * know, so that a stored or transmitted bitfield never carries a permission nobody can see.
 * @throws InvalidPermissionsError
 */
export function parsePermissions(value: string): bigint {
  if (typeof value !== 'string' || !/^(0|[1-9][0-9]{0,19})$/.test(value)) {
    throw new InvalidPermissionsError(
      `permissions must be a decimal string of known bits, got ${JSON.stringify(value)}`,
    );
  }
  const bits = BigInt(value);
  const unknown = bits & ~ALL_PERMISSIONS;
  if (unknown !== 0n) {
    throw new InvalidPermissionsError(
      `permissions ${value} hold unknown bits ${unknown} (known: ${ALL_PERMISSIONS})`,
    );
  }
  return bits;
}
