/** What a check answers while the awaited state is not there yet. */
export type NotYet = undefined | null | false;

/**
 * The one polling helper of the tests: calls `check` every `everyMs` until it answers something
 * other than undefined, null or false, and resolves with that. After `timeoutMs` it fails with
 * `what` (a function is called then, so the message can show the last state seen). For state that
 * emits no event to await — rows, topics, consumer lag, a process's status; where an event can
 * be awaited, await it instead.
 */
export async function waitFor<T>(
  what: string | (() => string),
  check: () => T | NotYet | Promise<T | NotYet>,
  timeoutMs = 20_000,
  everyMs = 25,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) {
      const described = typeof what === 'function' ? what() : what;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${described}; if the system is only slow ` +
          `here, give this wait a longer timeout, else look at what did not happen`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
