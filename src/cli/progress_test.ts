import assert from "node:assert/strict";
import { progressLine } from "./progress.ts";

Deno.test("progressLine() draws its label and counts on a terminal only, and erases itself", async () => {
  const written: string[] = [];
  const line = progressLine((t) => written.push(t), {
    isTty: true,
    delayMs: 0,
    intervalMs: 5,
    label: "indexing sessions",
  });
  line.add(2000);
  line.done(326);
  await new Promise((resolve) => setTimeout(resolve, 30));
  line.stop();
  assert.ok(written.includes("\r\x1b[Kcasr: indexing sessions 326/2,000"), written.join("|"));
  assert.equal(written.at(-1), "\r\x1b[K");
  const quiet: string[] = [];
  const off = progressLine((t) => quiet.push(t), { isTty: false, delayMs: 0, intervalMs: 5 });
  off.add(1);
  await new Promise((resolve) => setTimeout(resolve, 20));
  off.stop();
  assert.deepEqual(quiet, []);
});
