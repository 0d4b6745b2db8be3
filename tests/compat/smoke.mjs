// Runtime compatibility smoke: list the genuine fixtures and convert one, using
// only the library. Run by Bun on the TypeScript source and by Node on a bundle.
// Usage: <runtime> smoke.(mjs|ts) <path to mod.ts or bundle> <fixtures dir>
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const [modPath, fixturesDir] = process.argv.slice(2);
const casr = await import(pathToFileURL(resolve(modPath)).href);
const home = mkdtempSync(join(tmpdir(), "casr-compat-"));
try {
  for (const p of ["claude-code", "codex", "gemini-cli"]) {
    cpSync(join(fixturesDir, p), home, { recursive: true });
  }
  const ctx = casr.createContext({ homeDir: home, cwd: home, env: { HOME: home } });
  const { sessions } = await casr.listSessions(ctx);
  const codexSession = sessions.find((s) => s.provider === "codex");
  const result = await casr.convertSession(ctx, "claude-code", codexSession.id, {
    now: Date.UTC(2026, 11, 1),
  });
  const back = await casr.readSession(ctx, result.target.sessionId);
  const calls = back.session.messages.reduce((n, m) => n + m.toolCalls.length, 0);
  console.log(
    JSON.stringify({
      listed: sessions.length,
      verified: result.verified,
      messages: back.session.messages.length,
      calls,
    }),
  );
  if (!result.verified || sessions.length < 6 || calls < 1) process.exit(1);
} finally {
  rmSync(home, { recursive: true, force: true });
}
