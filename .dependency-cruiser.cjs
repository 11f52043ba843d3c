// Module boundaries from ARCHITECTURE.md, checked by `npm run lint`.
const siblings = ['chain', 'warehouse', 'graph', 'gnn'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make start-up order and testing fragile.',
      from: {},
      to: { circular: true },
    },
    ...siblings.map((from) => ({
      name: `${from}-is-a-sibling`,
      severity: 'error',
      comment: `${from}/ may import only config, internal and utils; data crosses between siblings as plain types via tasks/.`,
      from: { path: `^src/${from}/` },
      to: { path: `^src/(${siblings.filter((s) => s !== from).join('|')}|tasks|jobs|api|cli)/` },
    })),
    {
      name: 'types-are-leaves',
      severity: 'error',
      comment: 'src/types holds the plain data types that cross module boundaries; it imports nothing of ours.',
      from: { path: '^src/types/' },
      to: { path: '^src/(?!types/)' },
    },
    {
      name: 'foundation-stays-below',
      severity: 'error',
      comment: 'config, internal and utils are the bottom layer.',
      from: { path: '^src/(config|internal|utils)/' },
      to: { path: '^src/(chain|warehouse|graph|gnn|tasks|jobs|api|cli)/' },
    },
    {
      name: 'tasks-below-jobs-api-cli',
      severity: 'error',
      from: { path: '^src/tasks/' },
      to: { path: '^src/(jobs|api|cli)/' },
    },
    {
      name: 'jobs-below-api-cli',
      severity: 'error',
      from: { path: '^src/jobs/' },
      to: { path: '^src/(api|cli)/' },
    },
    {
      name: 'nothing-imports-cli',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'no-dev-deps-in-src',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    exclude: { path: '\\.test\\.ts$' },
  },
};
