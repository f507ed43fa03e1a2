import { parseOrThrow, UsageError } from './options';
import { setUser } from './users-file';

const passwdOptions = {
  users: { type: 'string' },
  roles: { type: 'string' },
  password: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export const passwdUsage = `usage: stomp-broker passwd --users FILE [--roles a,b] [--password P] NAME

Adds NAME to the users file (created when missing, mode 0600) or changes its passcode, stored as
a scrypt hash with a salt of its own. The password is read from stdin (typed without echo on a
terminal, or piped: the first line) unless --password gives it (which other users of the machine
may see in the process list). --roles replaces the user's roles; without it they are kept.
A running broker reads the file at start-up: restart it to apply the change.
`;

/** `stomp-broker passwd …`: resolves with the line to print. */
export async function passwd(
  argv: string[],
  stdin: NodeJS.ReadStream = process.stdin,
  prompt: (text: string) => void = (text) => process.stderr.write(text),
): Promise<string> {
  const { values, positionals } = parseOrThrow(argv, passwdOptions);
  if (values.help) return passwdUsage;
  if (values.users === undefined) throw new UsageError('passwd needs --users FILE');
  if (positionals.length !== 1) {
    throw new UsageError('passwd needs exactly one user NAME (see stomp-broker passwd --help)');
  }
  const name = positionals[0]!;
  if (!/^[^\s:\0]{1,256}$/.test(name)) {
    throw new UsageError(
      `a user NAME is 1-256 characters with no space, colon or NUL, got ${JSON.stringify(name)}`,
    );
  }
  const roles = values.roles
    ?.split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const password = values.password ?? (await readPassword(stdin, prompt, name));
  if (!password) throw new UsageError('the password is empty');
  const what = await setUser(values.users, name, password, roles);
  return `stomp-broker: user ${name} ${what} in ${values.users}\n`;
}

/** The first line of stdin; on a terminal, typed without echo. */
async function readPassword(
  stdin: NodeJS.ReadStream,
  prompt: (text: string) => void,
  name: string,
): Promise<string> {
  if (stdin.isTTY) {
    prompt(`password for ${name}: `);
    stdin.setRawMode(true);
  }
  let text = '';
  stdin.setEncoding('utf8');
  try {
    for await (const chunk of stdin as AsyncIterable<string>) {
      for (const c of chunk) {
        if (c === '\u0003') throw new UsageError('interrupted');
        if (c === '\n' || c === '\r' || c === '\u0004') return text;
        if (stdin.isTTY && (c === '\u007f' || c === '\b')) text = text.slice(0, -1);
        else text += c;
      }
    }
    return text;
  } finally {
    if (stdin.isTTY) {
      stdin.setRawMode(false);
      prompt('\n');
    }
    stdin.pause();
  }
}
