// Types of shared-dir.mjs (plain JS: the bootstrap needs it before anything is installed).
export function findShared(root: string): string | undefined;
