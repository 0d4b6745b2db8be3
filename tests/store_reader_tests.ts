/**
 * Test helpers shared by the reader tests of the two agents that keep
 * sessions in an OpenCode-style SQLite store (OpenCode and Kilo CLI): their
 * genuine fixtures, reading one of them, and the parallel-calls check both
 * run on the multi-tool fixture.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Session } from "../src/model/types.ts";
import { sessionRef } from "../src/formats/opencode_store/mod.ts";
import type { Provider } from "../src/providers/types.ts";
import { type FixtureEntry, fixtureFor, loadManifest, type TempHome } from "./fixture_home.ts";
import { storeDbOf } from "./store_writer_tests.ts";

/** A store's genuine fixtures. */
export interface StoreFixtures {
  /** The basic scenario. */
  basic: FixtureEntry;
  /** The multi-tool scenario. */
  multi: FixtureEntry;
  /** The messy scenario. */
  messy: FixtureEntry;
  /** The top-level sessions of the fixture database (the messy one's sub-agent session is not). */
  top: string[];
}

/**
 * A store's genuine fixtures, from the manifest.
 *
 * @param provider `opencode` or `kilo-cli`.
 * @returns The basic, multi-tool and messy fixtures and the top-level ids.
 */
export async function storeFixtures(provider: string): Promise<StoreFixtures> {
  const fixtures = await loadManifest();
  const basic = fixtureFor(fixtures, provider, "basic");
  const multi = fixtureFor(fixtures, provider, "multi-tool");
  const messy = fixtureFor(fixtures, provider, "messy");
  return { basic, multi, messy, top: [basic.sessionId, multi.sessionId, messy.sessionId] };
}

/**
 * Reads a fixture session from the store in `home`, checking that it reads
 * without warnings, with its id, the fixture workspace and model.
 *
 * @param provider The store's provider.
 * @param home A home holding the store's fixtures.
 * @param app `opencode` or `kilo`.
 * @param id The session id.
 * @returns The session.
 */
export async function readFixtureSession(
  provider: Provider,
  home: TempHome,
  app: string,
  id: string,
): Promise<Session> {
  const { session, warnings } = await provider.read(
    sessionRef(storeDbOf(home.home, app), id),
    home.ctx,
  );
  assert.deepEqual(warnings, []);
  assert.equal(session.id, id);
  assert.equal(session.workspace, "/tmp/casr-fixture-project");
  assert.equal(session.model, "claude-sonnet-4-5");
  return session;
}

/**
 * Checks the multi-tool fixture's reading: the texts as expected, and the
 * step with two parallel calls followed by one tool message with both
 * results in call order.
 *
 * @param session The multi-tool session, read.
 * @param multi Its fixture.
 * @returns The tool message after the parallel calls.
 */
export function assertParallelStep(session: Session, multi: FixtureEntry): Session["messages"][0] {
  const turns = session.messages.filter((m) => m.role !== "system");
  const texts = turns.filter((m) => m.role !== "tool").map((m) => `${m.role}: ${m.text.trim()}`);
  assert.deepEqual(
    texts,
    multi.expected.filter((e) => e.role !== "tool").map((e) => `${e.role}: ${e.text.trim()}`),
  );
  const parallel = turns.find((m) => m.toolCalls.length === 2);
  assert.ok(parallel);
  const results = turns[turns.indexOf(parallel) + 1];
  assert.ok(results);
  assert.equal(results.role, "tool");
  assert.deepEqual(
    results.toolResults.map((r) => r.callId),
    parallel.toolCalls.map((c) => c.id),
  );
  return results;
}
