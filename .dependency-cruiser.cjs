// The one-way flow, checked by `npm run deps`:
// packaging/ → (nothing of ours); playlists/ pure; domain folders never reach up into http/ or cli/; no cycles;
// production code runs on `npm ci --omit=dev`, so it imports no devDependency.
const DOMAIN =
  '^scheduler/(catalog|schedule|admin|guide|media|store|packaging|sample|object-store|distribution|workers)/';
const NOT_PRODUCTION = [
  '^tests/',
  '^bench/',
  '(^|/)vite\\.config\\.[cm]?[jt]s$',
  '^vitest\\.config\\.ts$',
  '^scripts/',
  '^admin-app/scripts/',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'playlists-pure',
      comment:
        'playlists/ renders text from values: no Node built-ins (no I/O), nothing from scheduler/ or packaging/.',
      severity: 'error',
      from: { path: '^playlists/' },
      to: { pathNot: '^playlists/', dependencyTypesNot: ['npm', 'npm-dev', 'type-only'] },
    },
    {
      name: 'playlists-no-node-builtins',
      comment: 'playlists/ does no I/O: no node:* modules.',
      severity: 'error',
      from: { path: '^playlists/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'packaging-knows-no-schedule',
      comment: 'packaging/ knows ffmpeg, not schedules: it imports nothing from scheduler/.',
      severity: 'error',
      from: { path: '^packaging/' },
      to: { path: '^scheduler/' },
    },
    {
      name: 'domain-not-to-http-or-cli',
      comment: 'Domain folders are used by http/ and cli/, never the other way round.',
      severity: 'error',
      from: { path: DOMAIN },
      to: { path: '^scheduler/(http|cli)/' },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-dev-dep',
      comment:
        'What Node runs in production (bin/, scheduler/, playlists/, packaging/) must work after `npm ci --omit=dev`: ' +
        'it imports no devDependency. The browser apps are bundled by Vite at build time, their imports are build inputs.',
      severity: 'error',
      // tv-app-build.ts builds the TV app on a first `npm start` only when vite is installed (a development checkout);
      // its `import('vite')` is guarded and the production install test proves `aerial serve` starts without it.
      from: {
        path: '^(scheduler|playlists|packaging|bin)/',
        pathNot: [...NOT_PRODUCTION, '^scheduler/tv-app-build\\.ts$'],
      },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing fails at run time.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['^tv-app/dist/', '^admin-app/dist/', '^tests/fixtures/', '^data/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
    },
    moduleSystems: ['es6', 'cjs'],
  },
};
