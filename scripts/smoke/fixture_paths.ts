/**
 * The fixed paths every fixture run uses (a leaf module: the scenario plans and the generator
 * both need them).
 *
 * @module
 */

/** Fixed, readable working directory of every fixture session. */
export const FIXTURE_WORKSPACE = "/tmp/casr-fixture-project";

/** Fixed throwaway home root for fixture generation (one subdirectory per provider). */
export const FIXTURE_HOME_ROOT = "/tmp/casr-fixture-home";
