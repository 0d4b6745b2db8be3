import assert from "node:assert/strict";
import type { Message } from "../model/types.ts";
import { fillTimestamps } from "./times.ts";

const m = (timestamp?: number): Message => ({
  index: 0,
  role: "user",
  text: "x",
  toolCalls: [],
  toolResults: [],
  ...(timestamp === undefined ? {} : { timestamp }),
});

Deno.test("fillTimestamps() uses the previous, else the next, else now", () => {
  assert.deepEqual(fillTimestamps([m(), m(5), m(), m(9)], 100), [5, 5, 5, 9]);
  assert.deepEqual(fillTimestamps([m(), m()], 100), [100, 100]);
  assert.deepEqual(fillTimestamps([m(7), m(3), m()], 100), [7, 3, 3]);
  assert.deepEqual(fillTimestamps([], 100), []);
});
