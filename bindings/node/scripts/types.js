'use strict';
/**
 * Generates index.d.ts and testing.d.ts from the JSDoc in index.js and
 * testing.js with the TypeScript compiler (which also type-checks both files
 * under --strict against types.d.ts and native.d.ts).
 *
 *   node scripts/types.js          write the declarations (make node-types)
 *   node scripts/types.js --check  exit 1 if the committed ones differ
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const root = path.join(__dirname, '..');
const HEADER = '// Generated from the JSDoc in %s by `make node-types` (scripts/types.js); do not edit.\n'
  + '// The data shapes live in types.d.ts.\n';
const OUTPUTS = [['index.d.ts', 'index.js'], ['testing.d.ts', 'testing.js']];

function generate() {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wxpay-types-'));
  try {
    const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    try {
      execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.types.json'), '--outDir', out],
        { cwd: root, stdio: 'pipe' });
    } catch (e) {
      process.stderr.write(String(e.stdout) + String(e.stderr));
      throw new Error('tsc failed on index.js / testing.js');
    }
    return OUTPUTS.map(([dts, js]) => [dts, HEADER.replace('%s', js) + fs.readFileSync(path.join(out, dts), 'utf8')]);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

function main() {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [name, text] of generate()) {
    const file = path.join(root, name);
    const current = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
    if (current === text) continue;
    if (check) {
      process.stderr.write(`${name} is out of date with its JSDoc: run \`make node-types\`\n`);
      stale += 1;
    } else {
      fs.writeFileSync(file, text);
      process.stdout.write(`wrote ${name}\n`);
    }
  }
  if (stale) process.exit(1);
}

main();
