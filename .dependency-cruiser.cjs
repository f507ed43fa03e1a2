// The import-cycle check of `npm run lint` (issue #11 item 3): `npm run lint:cycles`.
// dependency-cruiser rather than eslint-plugin-import-x's no-cycle: it counts `import type`
// edges too (no-cycle skips them, and stomp-broker's 12-file circle was mostly type imports),
// reads .vue files and the tsconfig paths, and takes about 3 s for the whole repository where
// no-cycle more than doubled `eslint .` (10 s -> 24 s on 2 cores). See README "Development".
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Modules must not import each other in a circle, type imports included: give the shared ' +
        'part a module of its own, or have one side depend on an interface the other implements.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import the check cannot resolve could hide a cycle: fix the import, or teach ' +
        '.dependency-cruiser.cjs where it points (tsconfig paths).',
      from: {},
      to: { couldNotResolve: true, dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: {
      path: '(^|/)(node_modules|dist|coverage|generated|test-results|openapi|\\.infra)/|\\.d\\.ts$',
    },
    // type-only imports are dependencies too
    tsPreCompilationDeps: true,
    // workspace packages (@echopulse/*) resolve to their sources, as in `npm run typecheck`
    tsConfig: { fileName: 'tsconfig.check.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs', '.vue', '.json'],
    },
  },
};
