import {
  createHmac,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Principal } from '../session';
import { UsageError } from './options';

/**
 * A users file: JSON, one entry per login, each passcode stored as a scrypt hash in the PHC
 * string format (`$scrypt$ln=15,r=8,p=1$<salt>$<hash>`, base64 without padding), with a salt of
 * its own per user. Written by `stomp-broker passwd`.
 *
 * ```json
 * { "users": { "guest": { "passcode": "$scrypt$ln=15,r=8,p=1$…$…", "roles": ["user"] } } }
 * ```
 */
export interface UsersFile {
  users: Record<string, UserEntry>;
}

export interface UserEntry {
  passcode: string;
  roles?: string[];
}

/**
 * scrypt's cost for new hashes: N = 2^15, r = 8, p = 1 (32 MiB, about 0.4 s on a loaded 2-core
 * machine). Each hash carries its own parameters, so raising these later leaves old hashes valid.
 */
export const scryptCost = { ln: 15, r: 8, p: 1 } as const;
const keyLength = 32;
const saltLength = 16;
const phc = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,3}),p=(\d{1,3})\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;

function scrypt(password: string, salt: Buffer, length: number, options: ScryptOptions) {
  return new Promise<Buffer>((resolve, reject) =>
    scryptCallback(password, salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );
}

/** Memory scrypt needs for these parameters (128·N·r), with room to spare. */
function maxmem(n: number, r: number): number {
  return 256 * n * r;
}

/** Hashes a passcode with a fresh random salt; the result is what the users file stores. */
export async function hashPasscode(passcode: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const n = 2 ** scryptCost.ln;
  const key = await scrypt(passcode, salt, keyLength, {
    N: n,
    r: scryptCost.r,
    p: scryptCost.p,
    maxmem: maxmem(n, scryptCost.r),
  });
  return `$scrypt$ln=${scryptCost.ln},r=${scryptCost.r},p=${scryptCost.p}$${b64(salt)}$${b64(key)}`;
}

/** Whether `passcode` matches a stored hash (constant-time comparison). */
export async function verifyPasscode(passcode: string, stored: string): Promise<boolean> {
  const m = phc.exec(stored);
  if (!m) return false;
  const [ln, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scrypt(passcode, Buffer.from(m[4]!, 'base64'), expected.length, {
    N: 2 ** ln,
    r,
    p,
    maxmem: maxmem(2 ** ln, r),
  });
  return timingSafeEqual(key, expected);
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64').replace(/=+$/, '');
}

/** Reads and checks a users file; a missing, unreadable or malformed one is a UsageError. */
export async function readUsersFile(path: string): Promise<UsersFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `cannot read the users file ${path}: ${(error as Error).message}` +
        ' (create it with: stomp-broker passwd --users FILE NAME)',
    );
  }
  return parseUsersFile(text, path);
}

/** Checks a users file's text; every problem names the file and the user. */
export function parseUsersFile(text: string, path: string): UsersFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the users file ${path} is not JSON: ${(error as Error).message}`);
  }
  const users = (data as { users?: unknown } | null)?.users;
  if (typeof users !== 'object' || users === null || Array.isArray(users)) {
    throw new UsageError(`the users file ${path} must be {"users": {"<name>": {"passcode": …}}}`);
  }
  for (const [name, entry] of Object.entries(users as Record<string, unknown>)) {
    const { passcode, roles } = (entry ?? {}) as Partial<Record<keyof UserEntry, unknown>>;
    if (typeof passcode !== 'string' || !phc.test(passcode)) {
      throw new UsageError(
        `the users file ${path}: user ${JSON.stringify(name)} has no scrypt passcode hash` +
          ` (set one with: stomp-broker passwd --users ${path} ${name})`,
      );
    }
    if (
      roles !== undefined &&
      !(Array.isArray(roles) && roles.every((x) => typeof x === 'string'))
    ) {
      throw new UsageError(
        `the users file ${path}: user ${JSON.stringify(name)} has roles that are not a list of strings`,
      );
    }
  }
  return { users: users as Record<string, UserEntry> };
}

/**
 * Adds or replaces a user, keeping the others; creates the file (mode 0600) when missing. The
 * new content is written beside the file and renamed over it, so a reader never sees half a file.
 */
export async function setUser(
  path: string,
  name: string,
  passcode: string,
  roles: string[] | undefined,
): Promise<'added' | 'changed'> {
  let file: UsersFile = { users: {} };
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new UsageError(`cannot read the users file ${path}: ${(error as Error).message}`);
    }
  }
  if (text !== undefined) file = parseUsersFile(text, path);
  const existed = Object.hasOwn(file.users, name);
  const entry: UserEntry = { passcode: await hashPasscode(passcode) };
  const keptRoles = roles ?? file.users[name]?.roles;
  if (keptRoles?.length) entry.roles = keptRoles;
  file.users[name] = entry;
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 });
  await rename(temporary, path);
  return existed ? 'changed' : 'added';
}

/** A checked login: the user's name and roles. */
export interface UserPrincipal extends Principal {
  roles: string[];
}

/**
 * Checks logins against a users file read once. scrypt is slow on purpose, so a passcode that
 * has been verified is remembered as an HMAC under a key that lives only in this process, and
 * the next CONNECT with the same login and passcode (a reconnect storm after a restart of the
 * clients' network, a test suite) costs one HMAC. Wrong passcodes are never remembered.
 */
export class UsersAuthenticator {
  private readonly key = randomBytes(32);
  private readonly verified = new Map<string, Buffer>();
  /** Checked against when the login is unknown, so both cases take as long. */
  private readonly decoy: Promise<string>;

  constructor(private readonly file: UsersFile) {
    this.decoy = hashPasscode(randomBytes(16).toString('hex'));
  }

  get size(): number {
    return Object.keys(this.file.users).length;
  }

  /** The user, or undefined when the login is unknown or the passcode wrong. */
  async check(login: string, passcode: string): Promise<UserPrincipal | undefined> {
    const entry = Object.hasOwn(this.file.users, login) ? this.file.users[login] : undefined;
    if (!entry) {
      await verifyPasscode(passcode, await this.decoy);
      return undefined;
    }
    const mac = createHmac('sha256', this.key).update(login).update('\0').update(passcode).digest();
    const known = this.verified.get(login);
    if (!(known && timingSafeEqual(known, mac))) {
      if (!(await verifyPasscode(passcode, entry.passcode))) return undefined;
      this.verified.set(login, mac);
    }
    return { name: login, roles: entry.roles ?? [] };
  }
}
