import assert from "node:assert/strict";
import {
  fileText,
  isInside,
  nextBackupPath,
  readHead,
  sameFileContent,
  tryLock,
  undoAtomicWrite,
  writeFileAtomic,
} from "./fs.ts";

Deno.test("writeFileAtomic() creates directories and leaves no temp file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/a/b/c.jsonl`;
    const record = await writeFileAtomic({ path: file, data: "x\n" });
    assert.equal(await Deno.readTextFile(file), "x\n");
    assert.deepEqual(record.createdDirs, [`${dir}/a`, `${dir}/a/b`]);
    assert.deepEqual([...Deno.readDirSync(`${dir}/a/b`)].map((e) => e.name), ["c.jsonl"]);
    await undoAtomicWrite(record);
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() refuses to replace unless told, then keeps a backup", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/f.json`;
    await Deno.writeTextFile(file, "old");
    await assert.rejects(writeFileAtomic({ path: file, data: "new" }), /exists/);
    assert.equal(await Deno.readTextFile(file), "old");
    const record = await writeFileAtomic({ path: file, data: "new" }, { overwrite: true });
    assert.equal(await Deno.readTextFile(file), "new");
    assert.equal(await Deno.readTextFile(`${file}.bak`), "old");
    await undoAtomicWrite(record);
    assert.equal(await Deno.readTextFile(file), "old");
    assert.equal(await Deno.stat(`${file}.bak`).catch(() => null), null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() without overwrite is an exclusive create under a race", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/race.jsonl`;
    const results = await Promise.allSettled(
      ["a", "b", "c", "d"].map((x) => writeFileAtomic({ path: file, data: x.repeat(100_000) })),
    );
    assert.equal(results.filter((r) => r.status === "fulfilled").length, 1);
    for (const r of results) {
      if (r.status === "rejected") assert.equal((r.reason as { code: string }).code, "EEXIST");
    }
    const text = await Deno.readTextFile(file);
    assert.match(text, /^(a+|b+|c+|d+)$/);
    assert.equal(text.length, 100_000);
    assert.deepEqual(
      [...Deno.readDirSync(dir)].map((e) => e.name),
      ["race.jsonl"],
      "no temp files",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("nextBackupPath() never reuses a backup name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/s.jsonl`;
    assert.equal(await nextBackupPath(file), `${file}.bak`);
    await Deno.writeTextFile(`${file}.bak`, "1");
    assert.equal(await nextBackupPath(file), `${file}.bak.1`);
    await Deno.writeTextFile(`${file}.bak.1`, "2");
    assert.equal(await nextBackupPath(file), `${file}.bak.2`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("isInside() follows symlinks and .. so writes cannot escape a root", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/root/sub`, { recursive: true });
    await Deno.mkdir(`${dir}/outside`);
    await Deno.symlink(`${dir}/outside`, `${dir}/root/link`);
    assert.equal(await isInside(`${dir}/root/sub/new/file.jsonl`, `${dir}/root`), true);
    assert.equal(await isInside(`${dir}/root/not-yet/a/b`, `${dir}/root`), true);
    assert.equal(await isInside(`${dir}/root/link/file.jsonl`, `${dir}/root`), false);
    assert.equal(await isInside(`${dir}/root/../outside/x`, `${dir}/root`), false);
    assert.equal(await isInside(`${dir}/rootless/x`, `${dir}/root`), false);
    assert.equal(await isInside(`${dir}/new-root/x`, `${dir}/new-root`), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tryLock() excludes a live holder and breaks locks of dead or unnamed holders", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const lock = `${dir}/x.lock`;
    const release = await tryLock(lock);
    assert.ok(release);
    assert.equal(await tryLock(lock), undefined, "held by this live process");
    await release();
    await Deno.writeTextFile(lock, "999999999\n"); // no such process
    const again = await tryLock(lock);
    assert.ok(again, "a dead holder's lock is broken");
    await again();
    await Deno.writeTextFile(lock, "");
    const old = new Date(Date.now() - 5000);
    await Deno.utime(lock, old, old);
    const third = await tryLock(lock);
    assert.ok(third, "an unnamed lock older than 2 s is broken");
    await third();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() writes a large string in slices without splitting a surrogate pair", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // 🚀 is two UTF-16 units; put one across the 4 Mi-character slice boundary.
    const head = "a".repeat((1 << 22) - 1);
    const data = `${head}🚀${"é".repeat(1000)}\n${"x".repeat(1 << 22)}🚀`;
    const file = `${dir}/big.jsonl`;
    await writeFileAtomic({ path: file, data });
    const back = await Deno.readFile(file);
    assert.equal(back.length, new TextEncoder().encode(data).length);
    assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(back), data);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() writes pieces as their joined text, a pair split between pieces included", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const rocket = "🚀";
    // The first slice fills up with a piece that ends on the pair's first half.
    const pieces = [
      "a".repeat((1 << 22) - 1) + rocket[0],
      `${rocket[1]}é\n`,
      "x".repeat(1 << 22),
      `${rocket}\n`,
    ];
    let iterations = 0;
    const data = {
      *[Symbol.iterator]() {
        iterations++;
        yield* pieces;
      },
    };
    const file = `${dir}/pieces.jsonl`;
    await writeFileAtomic({ path: file, data });
    const text = pieces.join("");
    assert.equal(new TextDecoder("utf-8", { fatal: true }).decode(await Deno.readFile(file)), text);
    assert.equal(fileText(data), text);
    assert.equal(iterations, 2, "each reader iterates the pieces again");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic() writes exactly TextEncoder's bytes for random pieces across its 1 MiB buffer", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // Characters of 1, 2, 3 and 4 UTF-8 bytes, and lone surrogates (U+FFFD).
    const alphabet = ["a", "\n", "é", "€", "中", "🚀", "\ud83d", "\ude80"];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let round = 0; round < 6; round++) {
      const pieces: string[] = [];
      let chars = 0;
      // About 2.5 MB: the buffer is handed out a few times, mid-character too.
      while (chars < 900_000) {
        const size = [0, 1, 2, 17, 4_096, 300_000, 700_000][random(7)] as number;
        const one = alphabet[random(alphabet.length)] as string;
        const other = alphabet[random(alphabet.length)] as string;
        let piece = one.repeat(Math.ceil(size / 2)) + other.repeat(Math.floor(size / 2));
        // Some pieces end on a pair's first half, the next begins with its second.
        if (random(3) === 0) piece += "\ud83d";
        if (random(3) === 0) piece = "\ude80" + piece;
        pieces.push(piece);
        chars += piece.length;
      }
      const file = `${dir}/r${round}.jsonl`;
      await writeFileAtomic({ path: file, data: round % 2 === 0 ? pieces : pieces.join("") });
      const expected = new TextEncoder().encode(pieces.join(""));
      const back = await Deno.readFile(file);
      assert.equal(back.length, expected.length, `round ${round}`);
      assert.ok(back.every((b, i) => b === expected[i]), `round ${round}: bytes differ`);
      assert.equal(await sameFileContent(file, pieces), true);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sameFileContent() compares a file with content a slice at a time, byte for byte", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/s.jsonl`;
    // Over one 64 KiB read, with multi-byte characters across its edges and a
    // pair split between two pieces.
    const line = `{"t":"${"é".repeat(40_000)}😀${"x".repeat(30_001)}"}\n`;
    const text = line + line;
    await Deno.writeTextFile(file, text);
    const cut = line.indexOf("😀") + 1; // between the pair's halves
    assert.equal(await sameFileContent(file, text), true);
    assert.equal(await sameFileContent(file, [text.slice(0, cut), text.slice(cut)]), true);
    assert.equal(await sameFileContent(file, text.slice(0, -1)), false); // the file is longer
    assert.equal(await sameFileContent(file, text + "\n"), false); // the file is shorter
    assert.equal(await sameFileContent(file, text.replace("x", "y")), false);
    assert.equal(await sameFileContent(file, text.slice(0, -2) + "]\n"), false); // the last bytes
    assert.equal(await sameFileContent(`${dir}/none.jsonl`, ""), false);
    assert.equal(await sameFileContent(dir, ""), false); // a directory is no file
    // What writeFileAtomic writes is the same, whatever the pieces.
    await writeFileAtomic({ path: `${dir}/w.jsonl`, data: [line, line] });
    assert.equal(await sameFileContent(`${dir}/w.jsonl`, text), true);
    assert.equal(fileText([line, line]), text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readHead() drops a character the byte limit cuts, and keeps one the file really has", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/h.json`;
    await Deno.writeTextFile(file, "ab€c"); // € is 3 bytes: 2..4
    assert.equal(await readHead(file, 4), "ab"); // 2 of its 3 bytes read: dropped
    assert.equal(await readHead(file, 5), "ab€");
    await Deno.writeTextFile(file, "ab\uFFFD"); // a replacement character written in the file
    assert.equal(await readHead(file, 64), "ab\uFFFD");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
