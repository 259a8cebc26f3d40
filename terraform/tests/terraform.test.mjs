// The Terraform tree's invariants (issue 16), checked offline: every .tf/.tfvars under terraform/ parsed with
// @cdktf/hcl2json, then each invariant of invariants.mjs asserted on the parsed content. A failure lists each
// violation with its file and block. Run: cd terraform && npm ci && node --test tests/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadTree, sourcePaths, tf, rootDirs, moduleDirs } from './lib.mjs';
import { CHECKS } from './invariants.mjs';

const files = await loadTree();

test('every .tf and .tfvars under terraform/ parses as HCL', () => {
  const paths = sourcePaths();
  assert.ok(tf(files).length >= 20, `expected the whole tree, found ${tf(files).length} .tf files`);
  assert.deepEqual(files.map((f) => f.path), paths);
});

test('layout: environments/production is the root, modules/region and modules/global the modules', () => {
  assert.ok(rootDirs(files).includes('environments/production'), `roots: ${rootDirs(files).join(', ')}`);
  assert.deepEqual(moduleDirs(files), ['modules/global', 'modules/region']);
  const region = tf(files).filter((f) => f.dir === 'modules/region').map((f) => f.path.split('/').pop()).sort();
  for (const concern of ['versions.tf', 'variables.tf', 'outputs.tf', 'main.tf', 'lke.tf', 'firewall.tf', 'platform.tf', 'redis.tf', 'backup.tf', 'secrets.tf']) {
    assert.ok(region.includes(concern), `modules/region has no ${concern} (has ${region.join(', ')})`);
  }
});

for (const [name, check] of Object.entries(CHECKS)) {
  test(`invariant: ${name}`, () => {
    const problems = check(files);
    assert.deepEqual(problems, [], `${name}:\n  ${problems.join('\n  ')}`);
  });
}
