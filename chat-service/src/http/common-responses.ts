/**
 * A decimal-string snowflake id: at most 8999999999999999999, so it fits a signed 64-bit bigint.
 * @pattern ^(?:[1-9][0-9]{0,17}|[1-8][0-9]{18})$
 * @maxLength 19
 */
export type Snowflake = string;
