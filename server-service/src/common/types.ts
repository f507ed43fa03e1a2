/**
 * A snowflake id as a decimal string (64-bit, so never a JSON number). Limited to values that fit
 * a signed 64-bit integer.
 * @pattern ^(?:[1-9][0-9]{0,17}|[1-8][0-9]{18})$
 * @maxLength 19
 * @example "123456789012345678"
 */
export type Snowflake = string;

/**
 * A user id: the Keycloak `sub` of the user (a UUID for Keycloak's own users).
 * @pattern ^[A-Za-z0-9_-]{1,64}$
 * @example "3f1c8c8e-2d51-4a39-9a3e-1b1f4a2f7c10"
 */
export type UserId = string;

/**
 * A user id, or `@me` for the caller.
 * @pattern ^(?:@me|[A-Za-z0-9_-]{1,64})$
 */
export type UserIdOrMe = string;

/**
 * A permission bitfield as a decimal string (Discord's bit values), e.g. `"3072"` for
 * VIEW_CHANNEL | SEND_MESSAGES. Unknown bits are refused.
 * @pattern ^(?:0|[1-9][0-9]{0,19})$
 * @example "3072"
 */
export type PermissionBits = string;

/** Page size of cursor-paginated lists. */
export const defaultPageSize = 50;
export const maxPageSize = 100;

/** Runs through a list of items one page at a time: pass `next` as `after` to get the next page. */
export function pageOf<T>(items: T[], limit: number, cursor: (item: T) => string) {
  const last = items[items.length - 1];
  return { items, next: items.length === limit && last ? cursor(last) : null };
}
