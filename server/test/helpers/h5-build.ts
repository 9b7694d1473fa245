import { ensureH5BuildSync, H5_DIR } from '../../../scripts/lib/h5-build';

export { H5_DIR };

/**
 * Builds the H5 app unless a build newer than every source file (the mini-program's and shared's)
 * is already there. Returns how long the build took, 0 when it was reused. The browser suites run
 * side by side: one at a time checks and builds (the others wait, then find it fresh), so no suite
 * serves dist/h5 while another is rebuilding it.
 */
export const ensureH5Build = (): number => ensureH5BuildSync();
