import assert from "node:assert/strict";
import { groupDigits, plural } from "./plural.ts";

Deno.test("groupDigits() writes whole numbers as toLocaleString('en-US') does", () => {
  const samples = [
    0,
    1,
    7,
    12,
    999,
    1000,
    1001,
    9999,
    10001,
    123456,
    999999,
    1000000,
    1234567,
    98765432,
    Number.MAX_SAFE_INTEGER,
    -1,
    -999,
    -1000,
    -1234567,
  ];
  for (let i = 0; i < 2000; i++) samples.push(Math.floor(Math.random() * 10 ** (1 + (i % 15))));
  for (const n of samples) assert.equal(groupDigits(n), n.toLocaleString("en-US"), String(n));
  // Not a safe whole number: toLocaleString's own answer.
  assert.equal(groupDigits(1234.5), (1234.5).toLocaleString("en-US"));
});

Deno.test("plural() counts in words with separators", () => {
  assert.equal(plural(1, "message"), "1 message");
  assert.equal(plural(0, "message"), "0 messages");
  assert.equal(plural(10001, "tool call"), "10,001 tool calls");
});
