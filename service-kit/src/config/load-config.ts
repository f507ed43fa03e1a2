import { z } from 'zod';

export type RunMode = 'development' | 'test' | 'production';

/** NODE_ENV, with anything unknown treated as development (never as production by accident). */
export function runMode(env: NodeJS.ProcessEnv = process.env): RunMode {
  const mode = env.NODE_ENV;
  return mode === 'production' || mode === 'test' ? mode : 'development';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface LoadConfigOptions<Keys extends string> {
  env?: NodeJS.ProcessEnv;
  /** Values used when a variable is unset, outside production only. */
  devDefaults?: Partial<Record<Keys, string>>;
  /** Variables that production must set to something other than their dev default. */
  secrets?: Keys[];
}

/**
 * Reads the environment once into a validated, frozen, typed object: the only reader of
 * `process.env` in a service. Production gets no dev defaults and refuses dev secrets.
 */
export function loadConfig<Shape extends z.ZodRawShape>(
  shape: Shape,
  options: LoadConfigOptions<Extract<keyof Shape, string>> = {},
): Readonly<z.infer<z.ZodObject<Shape>> & { mode: RunMode }> {
  const env = options.env ?? process.env;
  const mode = runMode(env);
  const devDefaults: Record<string, string | undefined> = options.devDefaults ?? {};
  const raw: Record<string, string | undefined> = {};
  for (const key of Object.keys(shape)) {
    raw[key] = env[key] ?? (mode === 'production' ? undefined : devDefaults[key]);
  }
  const problems: string[] = [];
  if (mode === 'production') {
    for (const key of options.secrets ?? []) {
      if (raw[key] !== undefined && raw[key] === devDefaults[key]) {
        problems.push(`${key} is the development default; production needs a real secret`);
      }
    }
  }
  const parsed = z.object(shape).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.');
      problems.push(raw[key] === undefined ? `${key} is required` : `${key}: ${issue.message}`);
    }
  }
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return Object.freeze({ ...parsed.data, mode });
}
