// Whether dist/ (the compiled CLI) is newer than every file under src/ and than the installed
// packages: only then may it run. dist/vendor bundles some dependencies, and `npm install X` does not
// rebuild (npm runs `prepare` only on a bare install), so a changed lock file marks dist stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Tests are not compiled (tsconfig.build.json): editing one leaves dist/ current, and skipping them saves ~30% of the stat calls. */
const NOT_BUILT = /\.test\.ts$|\.test-support\.ts$|^store-test-support\.ts$/;

function newestMtimeMs(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (NOT_BUILT.test(entry.name)) continue;
    const path = join(dir, entry.name);
    const t = entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs;
    if (t > newest) newest = t;
  }
  return newest;
}

/** @param {string} root the project root */
export function compiledIsFresh(root) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(stamp)) return false;
  const builtMs = statSync(stamp).mtimeMs;
  const locks = [join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json')];
  if (locks.some((lock) => existsSync(lock) && statSync(lock).mtimeMs > builtMs)) return false;
  return builtMs >= newestMtimeMs(join(root, 'src'));
}
