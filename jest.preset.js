// Shared jest settings: swc transpiles TypeScript (decorators + metadata for TypeORM/tsoa);
// type checking is `tsc -b`, run by `npm test` before jest.
const path = require('node:path');

/** Packages that ship only ES modules; swc turns them into CommonJS for jest's loader. */
const esmOnly = ['jose', 'openid-client', 'oauth4webapi'];

/** @param {string} rootDir @returns {import('jest').Config} */
module.exports = function preset(rootDir) {
  return {
    rootDir,
    displayName: path.basename(rootDir),
    testEnvironment: 'node',
    testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/test/**/*.test.ts'],
    transform: {
      '^.+\\.(t|j|mj)s$': [
        '@swc/jest',
        {
          jsc: {
            target: 'es2022',
            parser: { syntax: 'typescript', decorators: true },
            transform: { legacyDecorator: true, decoratorMetadata: true },
          },
          module: { type: 'commonjs' },
        },
      ],
    },
    transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
    moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
    // Workspace packages are tested from their sources, so no build is needed before jest.
    moduleNameMapper: {
      '^@echopulse/([^/]+)$': '<rootDir>/../$1/src',
      '^@echopulse/([^/]+)/(.+)$': '<rootDir>/../$1/src/$2',
    },
  };
};
