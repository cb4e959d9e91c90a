// Where ../shared is (the lab, the fixtures, tui-drive): $VIRTUI_SHARED, else a `shared` folder
// beside the project or above it, else /work/shared. Plain JS: the bootstrap uses it before any
// dependency is installed, and the tests use it too.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** @param {string} root the project folder @returns {string | undefined} */
export function findShared(root) {
  const candidates = [process.env.VIRTUI_SHARED];
  for (let d = root; ; d = dirname(d)) {
    candidates.push(join(d, 'shared'));
    if (dirname(d) === d) break;
  }
  candidates.push('/work/shared');
  return candidates.find((c) => c && existsSync(join(c, 'lab', 'setup-lab.sh')));
}
