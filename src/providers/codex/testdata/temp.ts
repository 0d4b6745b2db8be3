/**
 * Temp directories for the Codex tests, removed when the test run ends.
 *
 * @module
 */

const made = new Set<string>();
let listening = false;

/**
 * Makes a temp directory that is removed when the test process unloads, so a
 * test that hands its directory to later assertions leaves nothing in `/tmp`.
 *
 * @param prefix The directory name's prefix.
 * @returns The directory.
 */
export async function codexTempDir(prefix = "casr-codex-"): Promise<string> {
  if (!listening) {
    listening = true;
    globalThis.addEventListener("unload", () => {
      for (const dir of made) {
        try {
          Deno.removeSync(dir, { recursive: true });
        } catch {
          // Already gone, or a test removed it itself.
        }
      }
    });
  }
  const dir = await Deno.makeTempDir({ prefix });
  made.add(dir);
  return dir;
}
