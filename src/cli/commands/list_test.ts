import assert from "node:assert/strict";
import { renderList, uniquePrefixLength } from "./list.ts";
import { relativeTime } from "../render.ts";
import { stylesFor } from "../io.ts";

Deno.test("uniquePrefixLength() grows past 8 only where two ids share a prefix", () => {
  assert.equal(uniquePrefixLength(["aaaaaaaa-1", "bbbbbbbb-2"]), 8);
  assert.equal(uniquePrefixLength(["01a2333f8e5e", "01a2333f96bf"]), 9);
  assert.equal(uniquePrefixLength(["same", "same"]), 8);
  assert.equal(uniquePrefixLength([]), 8);
});

Deno.test("relativeTime() reads like a person would say it", () => {
  const now = Date.UTC(2026, 11, 1, 12);
  const ago = (ms: number) => relativeTime(now - ms, now);
  assert.equal(ago(10_000), "just now");
  assert.equal(ago(5 * 60_000), "5m ago");
  assert.equal(ago(3 * 3_600_000), "3h ago");
  assert.equal(ago(3 * 86_400_000), "3d ago");
  assert.equal(ago(120 * 86_400_000), "3mo ago");
  assert.equal(ago(800 * 86_400_000), "2y ago");
  assert.equal(relativeTime(undefined, now), "-");
  assert.equal(relativeTime(now + 3_600_000, now), "soon");
});

Deno.test("renderList() fits the width and keeps unique id prefixes", () => {
  const now = Date.UTC(2026, 11, 1);
  const sessions = [
    {
      id: "01a2333f-8e5e-70a0",
      provider: "codex",
      path: "/a",
      title: "x".repeat(300),
      workspace: "/very/long/workspace/name/that/goes/on/and/on",
      lastActiveAt: now,
    },
    {
      id: "01a2333f-96bf-7892",
      provider: "claude-code",
      path: "/b",
      title: "日本語 ✓ title",
      lastActiveAt: now - 7_200_000,
    },
  ];
  const s = stylesFor({ out: () => {}, err: () => {}, isTty: false, env: {} });
  for (const columns of [60, 80, 120]) {
    const text = renderList(sessions, 2, s, { columns, now });
    for (const line of text.trimEnd().split("\n")) {
      assert.ok(line.length <= columns, `${columns}: ${line}`);
    }
    assert.ok(text.includes("01a2333f-8"));
    assert.ok(text.includes("01a2333f-9"));
    assert.ok(text.includes("2h ago"));
  }
});
