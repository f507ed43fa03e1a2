/** An error response: RFC 9457 problem details, `application/problem+json`. */
export interface ProblemDocument {
  /** A URI naming the kind of problem. */
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The path of the request. */
  instance?: string;
  /** Stable machine-readable code, e.g. `missing_permission`, `validation_failed`. */
  code: string;
  /** For `validation_failed`: each bad field with what is wrong with it. */
  errors?: { [field: string]: { message: string; value?: unknown } };
  [extension: string]: unknown;
}
