/**
 * A decimal-string snowflake id.
 * @pattern ^(?:[1-9][0-9]{0,17}|[1-8][0-9]{18})$
 */
export type Snowflake = string;
