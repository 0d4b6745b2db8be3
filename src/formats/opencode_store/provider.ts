/**
 * The provider members every agent on the OpenCode store shares, built from
 * its flavor: OpenCode and Kilo CLI spread them into their provider objects.
 *
 * @module
 */
import type {
  PlanWriteOptions,
  ProviderContext,
  ResumeCommand,
  SessionSummary,
  WritePlan,
} from "../../model/provider_data.ts";
import type { ReadResult, Session } from "../../model/types.ts";
import { claimsStore } from "./claims.ts";
import type { StoreFlavor } from "./flavor.ts";
import { findStore, listStore } from "./list.ts";
import { storeRoots } from "./paths.ts";
import { readStore } from "./reader.ts";
import { storeResumeCommand } from "./resume.ts";
import { planStore } from "./writer.ts";

/** What a store provider does, for one flavor. */
export interface StoreMembers {
  /** The data dirs (and the database's dir when `<APP>_DB` puts it elsewhere). */
  roots(ctx: ProviderContext): string[];
  /** Every session in the database and the legacy `storage/` tree. */
  list(ctx: ProviderContext): Promise<SessionSummary[]>;
  /** The sessions an id or id prefix names. */
  find(ctx: ProviderContext, idOrPrefix: string): Promise<SessionSummary[]>;
  /** Whether a path is this flavor's database, session reference or legacy file. */
  claims(file: string, head: string): boolean;
  /** Reads one session. */
  read(file: string): Promise<ReadResult>;
  /** Plans writing a session into the store. */
  plan(session: Session, ctx: ProviderContext, options: PlanWriteOptions): Promise<WritePlan>;
  /** `<binary> --session <id>`, run in the workspace. */
  resumeCommand(session: { id: string; workspace?: string }): ResumeCommand;
}

/**
 * The members of a provider on the OpenCode store, for its flavor.
 *
 * @param flavor What makes the store this agent's.
 * @returns The members, to spread into the provider.
 */
export function storeProvider(flavor: StoreFlavor): StoreMembers {
  return {
    roots: (ctx) => storeRoots(flavor, ctx),
    list: (ctx) => listStore(flavor, ctx),
    find: (ctx, idOrPrefix) => findStore(flavor, ctx, idOrPrefix),
    claims: (file, head) => claimsStore(flavor, file, head),
    read: (file) => readStore(flavor, file),
    plan: (session, ctx, options) => planStore(flavor, session, ctx, options),
    resumeCommand: (session) => storeResumeCommand(flavor, session),
  };
}
