#!/usr/bin/env node
// The `stomp-broker` command (npx stomp-broker). npm links a package's bin only if the file
// exists when `npm install` runs, and dist/ is built after that in a fresh clone, so this small
// launcher is committed and loads the compiled CLI.
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  process.stderr.write(
    `stomp-broker: ${cli} is not built yet: run \`npm run build\` at the repository root` +
      ' (or `npx tsc -b stomp-broker`), then try again.\n',
  );
  process.exit(1);
}
require(cli);
