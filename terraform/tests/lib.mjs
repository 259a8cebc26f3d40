// Loading the Terraform tree for the checks: every .tf and .tfvars under terraform/ parsed with @cdktf/hcl2json
// (HashiCorp's HCL parser compiled to WebAssembly: offline, no terraform binary, no registry, no cloud).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parse } = require('@cdktf/hcl2json');

/** terraform/, the folder these tests check. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const SKIP = new Set(['node_modules', 'tests', '.terraform']);

/** Paths (relative to terraform/, with /) of every .tf and .tfvars file. */
export function sourcePaths(root = ROOT) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(tf|tfvars)$/.test(entry.name)) out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * Parses sources: { path: text } -> [{ path, dir, text, json }]. A file that does not parse throws an error naming
 * it and HCL's own message (file:line,column).
 */
export async function parseSources(sources) {
  const files = [];
  for (const [path, text] of Object.entries(sources)) {
    let json;
    try {
      json = await parse(path, text);
    } catch (error) {
      throw new Error(`${path} does not parse as HCL: ${error.message ?? error}`);
    }
    files.push({ path, dir: path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.', text, json });
  }
  return files;
}

/** The real tree, parsed. */
export async function loadTree(root = ROOT) {
  const sources = {};
  for (const path of sourcePaths(root)) sources[path] = readFileSync(join(root, path), 'utf8');
  return parseSources(sources);
}

/** Only the .tf files (configuration), not .tfvars. */
export const tf = (files) => files.filter((f) => f.path.endsWith('.tf'));

/** Every `resource "<type>" "<name>"` (or data), as { file, type, name, body, where }. */
export function resources(files, type = undefined, kind = 'resource') {
  const out = [];
  for (const file of tf(files)) {
    for (const [t, byName] of Object.entries(file.json[kind] ?? {})) {
      if (type && t !== type) continue;
      for (const [name, bodies] of Object.entries(byName)) {
        for (const body of bodies) out.push({ file: file.path, dir: file.dir, type: t, name, body, where: `${file.path}: ${kind} "${t}" "${name}"` });
      }
    }
  }
  return out;
}

/** Blocks of a labelled kind with one label (variable, output, module, provider), as { file, name, body, where }. */
export function blocks(files, kind) {
  const out = [];
  for (const file of tf(files)) {
    for (const [name, bodies] of Object.entries(file.json[kind] ?? {})) {
      for (const body of bodies) out.push({ file: file.path, dir: file.dir, name, body, where: `${file.path}: ${kind} "${name}"` });
    }
  }
  return out;
}

/** `terraform {}` blocks, as { file, dir, body, where }. */
export function terraformBlocks(files) {
  return tf(files).flatMap((file) => (file.json.terraform ?? []).map((body) => ({ file: file.path, dir: file.dir, body, where: `${file.path}: terraform` })));
}

/** All `locals` of a directory merged into one object. */
export function locals(files, dir) {
  const out = {};
  for (const file of tf(files).filter((f) => f.dir === dir)) {
    for (const body of file.json.locals ?? []) Object.assign(out, body);
  }
  return out;
}

/** `${var.name}` -> name; anything else -> undefined. */
export function varRef(value) {
  const m = typeof value === 'string' && value.match(/^\$\{var\.([A-Za-z0-9_]+)\}$/);
  return m ? m[1] : undefined;
}

/** `${local.name}` -> name; anything else -> undefined. */
export function localRef(value) {
  const m = typeof value === 'string' && value.match(/^\$\{local\.([A-Za-z0-9_]+)\}$/);
  return m ? m[1] : undefined;
}

/** The directories that are roots: environments/<name>. */
export function rootDirs(files) {
  return [...new Set(tf(files).map((f) => f.dir).filter((d) => /^environments\/[^/]+$/.test(d)))].sort();
}

/** The directories that are modules: modules/<name>. */
export function moduleDirs(files) {
  return [...new Set(tf(files).map((f) => f.dir).filter((d) => /^modules\/[^/]+$/.test(d)))].sort();
}
