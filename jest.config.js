// One Jest run for unit (*.spec.ts), integration (*.int-spec.ts) and end-to-end (test/*.e2e-spec.ts)
// tests. SWC compiles TypeScript (with decorator metadata) far faster than ts-jest on 2 cores.
const fs = require('node:fs');
const swc = JSON.parse(fs.readFileSync(`${__dirname}/.swcrc`, 'utf8'));
delete swc.$schema;

const moduleNameMapper = { '^@sillage/([a-z-]+)$': '<rootDir>/libs/$1/src' };

// Some dependencies now ship ES modules only (glob, minimatch, content-disposition behind
// @fastify/static, …). Node 20.19 require()s them natively, but Jest's module runtime does not, so
// those packages are compiled to CommonJS by SWC like our own code. The list is computed from
// node_modules so an upgrade that turns a dependency ESM-only needs no config change.
function esmOnlyPackages(dir = `${__dirname}/node_modules`, out = new Set()) {
  for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
    if (entry.startsWith('.')) continue;
    const pkgDir = `${dir}/${entry}`;
    if (entry.startsWith('@')) {
      esmOnlyPackages(pkgDir, out);
      continue;
    }
    try {
      const pkg = JSON.parse(fs.readFileSync(`${pkgDir}/package.json`, 'utf8'));
      const exportsText = JSON.stringify(pkg.exports ?? '');
      if (pkg.type === 'module' && !exportsText.includes('"require"')) out.add(pkg.name);
    } catch {
      // not a package
    }
    if (fs.existsSync(`${pkgDir}/node_modules`)) esmOnlyPackages(`${pkgDir}/node_modules`, out);
  }
  return out;
}
const esmOnly = [...esmOnlyPackages()].map((n) => n.replace(/[.+]/g, '\\$&'));
const jsSwc = { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' } };

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  testRegex: '.*\\.(spec|int-spec|e2e-spec)\\.ts$',
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc], '^.+\\.m?js$': ['@swc/jest', jsSwc] },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
  reporters: ['default', '<rootDir>/libs/testing/src/summary-reporter.js'],
  testTimeout: 30000,
  maxWorkers: 2,
};
