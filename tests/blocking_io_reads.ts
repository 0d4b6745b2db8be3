/**
 * Test helper (not part of the library): every way `src/internal/file_reads.ts` and
 * `fast_fs.ts` read a file, gathered as plain data, so that the answers of
 * blocking and asynchronous calls can be compared (`blocking_io_test.ts`).
 *
 * @module
 */
import { readTextIfExists, statFile } from "../src/internal/fast_fs.ts";
import { readText, readTextChunks, sampleFile, withFileRead } from "../src/internal/file_reads.ts";

/**
 * What each way of reading gives for each file; an error reads as its name.
 *
 * @param files The files.
 * @returns The answers, by file.
 */
export async function readsOf(files: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  const attempt = async (read: () => Promise<unknown>): Promise<unknown> => {
    try {
      return await read();
    } catch (error) {
      return { error: error instanceof Error ? error.name : String(error) };
    }
  };
  for (const file of files) {
    const stat = await statFile(file);
    out.push({
      stat: stat === undefined ? null : { size: stat.size, isFile: stat.isFile },
      chunks: await attempt(async () => {
        const pieces: string[] = [];
        for await (const piece of readTextChunks(file, 7)) pieces.push(piece);
        return pieces.join("");
      }),
      sample: await attempt(() => sampleFile(file, { headBytes: 64, tailBytes: 40 })),
      text: await attempt(() => readText(file)),
      ifExists: await readTextIfExists(file) ?? null,
      held: await attempt(() =>
        withFileRead(file, 1 << 20, () => readText(file), stat ?? undefined)
      ),
      // Files over 100 bytes are too large to hold: read as usual instead.
      heldIfSmall: await attempt(() =>
        withFileRead(file, 100, () => readText(file), stat ?? undefined)
      ),
      // A stat that says the file is small (it grew since): not held either.
      heldGrown: await attempt(() =>
        withFileRead(file, 100, () => readText(file), stat && { ...stat, size: 1 })
      ),
    });
  }
  return out;
}
