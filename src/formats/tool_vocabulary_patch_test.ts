import assert from "node:assert/strict";
import { editPatch, readEditPatch, readWritePatch, writePatch } from "./tool_vocabulary_patch.ts";

Deno.test("writePatch() / readWritePatch() keep every newline of the content", () => {
  for (const content of ["", "x", "x\n", "a\n\nb\n\n", "*** End Patch\n"]) {
    const patch = writePatch({ path: "src/a.ts", content });
    assert.ok(patch?.startsWith("*** Begin Patch\n*** Add File: src/a.ts\n+"), content);
    assert.deepEqual(readWritePatch(patch ?? ""), { path: "src/a.ts", content }, content);
  }
});

Deno.test("editPatch() / readEditPatch() keep the replacement exactly", () => {
  const cases = [["a", "b"], ["a\nb\n", ""], ["-x", "+y\n+z"], ["a", "\n"]];
  for (const [before, after] of cases) {
    const args = { path: "/p/a.ts", old_string: before, new_string: after };
    const patch = editPatch(args);
    assert.ok(patch !== undefined, `${before} -> ${after}`);
    assert.deepEqual(readEditPatch(patch), args, `${before} -> ${after}`);
  }
});

Deno.test("patches are written only for arguments a patch can hold", () => {
  assert.equal(editPatch({ path: "a", old_string: "", new_string: "b" }), undefined);
  assert.equal(
    editPatch({ path: "a", old_string: "x", new_string: "y", replace_all: true }),
    undefined,
  );
  assert.equal(writePatch({ path: "a\nb", content: "x" }), undefined);
  assert.equal(writePatch({ path: " a", content: "x" }), undefined);
  assert.equal(writePatch({ path: "a", content: 1 }), undefined);
});

Deno.test("other patches (context lines, several files, moves) are not read", () => {
  const patches = [
    "*** Begin Patch\n*** Update File: a\n@@\n a\n-b\n+c\n*** End Patch",
    "*** Begin Patch\n*** Update File: a\n@@ fn main\n-b\n+c\n*** End Patch",
    "*** Begin Patch\n*** Update File: a\n@@\n-b\n+c\n*** Update File: b\n@@\n-b\n+c\n*** End Patch",
    "*** Begin Patch\n*** Update File: a\n*** Move to: b\n@@\n-b\n+c\n*** End Patch",
    "*** Begin Patch\n*** Delete File: a\n*** End Patch",
    "*** Begin Patch\n*** Update File: a\n@@\n+c\n*** End Patch",
  ];
  for (const patch of patches) {
    assert.equal(readEditPatch(patch), undefined, patch);
    assert.equal(readWritePatch(patch), undefined, patch);
  }
});
