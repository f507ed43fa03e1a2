import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UsageError } from './options';
import {
  hashPasscode,
  parseUsersFile,
  readUsersFile,
  setUser,
  UsersAuthenticator,
  verifyPasscode,
} from './users-file';

describe('users file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stomp-users-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hashes with a fresh salt each time and verifies only the right passcode', async () => {
    const [a, b] = await Promise.all([hashPasscode('guest'), hashPasscode('guest')]);
    expect(a).not.toBe(b);
    expect(await verifyPasscode('guest', a)).toBe(true);
    expect(await verifyPasscode('guest', b)).toBe(true);
    expect(await verifyPasscode('Guest', a)).toBe(false);
    expect(await verifyPasscode('guest', 'not a hash')).toBe(false);
  });

  it('adds and changes users, keeping the others and their roles, in a 0600 file', async () => {
    const path = join(dir, 'users.json');
    expect(await setUser(path, 'a', 'pa', ['admin'])).toBe('added');
    expect(await setUser(path, 'b', 'pb', undefined)).toBe('added');
    expect(await setUser(path, 'a', 'pa2', undefined)).toBe('changed');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = await readUsersFile(path);
    expect(Object.keys(file.users)).toEqual(['a', 'b']);
    expect(file.users.a!.roles).toEqual(['admin']);
    const users = new UsersAuthenticator(file);
    expect(await users.check('a', 'pa2')).toEqual({ name: 'a', roles: ['admin'] });
    expect(await users.check('a', 'pa')).toBeUndefined();
    // The second check of the same passcode is answered from memory, the same way.
    expect(await users.check('a', 'pa2')).toEqual({ name: 'a', roles: ['admin'] });
    expect(await users.check('a', 'pa2x')).toBeUndefined();
    expect(await users.check('nobody', 'pa2')).toBeUndefined();
  });

  it.each([
    ['not json', /is not JSON/],
    ['{"users": []}', /must be \{"users"/],
    ['{"users": {"x": {"passcode": "plain"}}}', /user "x" has no scrypt passcode hash/],
    [
      '{"users": {"x": {"passcode": "$scrypt$ln=15,r=8,p=1$AAAA$BBBB", "roles": "admin"}}}',
      /user "x" has roles that are not a list of strings/,
    ],
  ])('refuses a malformed file (%s) naming the file and what to fix', (text, message) => {
    expect(() => parseUsersFile(text, 'u.json')).toThrow(UsageError);
    expect(() => parseUsersFile(text, 'u.json')).toThrow(message);
  });

  it('refuses to add to a file it cannot parse rather than overwrite it', async () => {
    const path = join(dir, 'broken.json');
    await writeFile(path, '{');
    await expect(setUser(path, 'a', 'p', undefined)).rejects.toThrow(/is not JSON/);
    expect(await readFile(path, 'utf8')).toBe('{');
  });
});
