/** One conformance suite for every PostingStore: in memory, and Durable Object SQLite. */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { SqlPostingStore } from "../../worker/posting/sql-store";
import { MemoryPostingStore, type PostingStore } from "../../worker/posting/store";
import type { DocRecord } from "../../worker/posting/types";

const doc = (key: string, seq: number, extra: Partial<DocRecord> = {}): DocRecord => ({
  jobId: "j1",
  seq,
  key,
  type: "Payment",
  dependsOn: [],
  description: key,
  body: { Amount: 1 },
  state: "planned",
  keyGen: 0,
  postGen: 0,
  ...extra,
});

type WithStore = (fn: (s: PostingStore) => void) => Promise<void>;

function conformance(name: string, withStore: WithStore) {
  describe(`PostingStore: ${name}`, () => {
    it("keeps jobs oldest first and documents in send order", () =>
      withStore((s) => {
        s.putJob({ id: "b", kind: "post", state: "queued", createdAt: 2, updatedAt: 2, replans: 0 });
        s.putJob({ id: "a", kind: "post", state: "queued", createdAt: 1, updatedAt: 1, replans: 0 });
        expect(s.listJobs().map((j) => j.id)).toEqual(["a", "b"]);
        s.putDocs([doc("k2", 2), doc("k1", 1)]);
        expect(s.getDocs("j1").map((d) => d.key)).toEqual(["k1", "k2"]);
        s.putDocs([doc("k1", 1, { state: "posted", xeroId: "x" })]);
        expect(s.getDoc("j1", "k1")).toMatchObject({ state: "posted", xeroId: "x" });
        expect(s.getDocs("j1")).toHaveLength(2);
        expect(s.getDoc("j1", "nope")).toBeUndefined();
      }));

    it("returns copies: changing a returned record changes nothing stored", () =>
      withStore((s) => {
        s.putDocs([doc("k", 0)]);
        const d = s.getDoc("j1", "k") as DocRecord;
        d.state = "posted";
        (d.body as { Amount: number }).Amount = 99;
        expect(s.getDoc("j1", "k")).toMatchObject({ state: "planned", body: { Amount: 1 } });
      }));

    it("stores the ledger, batches and meta", () =>
      withStore((s) => {
        s.putLedger({ key: "k", type: "Payment", state: "posted", xeroId: "x", jobId: "j1", postGen: 0 });
        expect(s.getLedger("k")?.xeroId).toBe("x");
        const b = {
          key: "b1",
          jobId: "j1",
          docKeys: ["k"],
          method: "PUT" as const,
          path: "/Payments",
          bodyText: "{}",
          firstSentAt: 5,
          sends: 1,
        };
        s.putBatch(b);
        expect(s.getBatch("b1")).toEqual(b);
        expect(s.listBatches("j1")).toEqual([b]);
        expect(s.listBatches("other")).toEqual([]);
        s.deleteBatch("b1");
        expect(s.getBatch("b1")).toBeUndefined();
        s.setMeta("m", { a: [1, 2] });
        expect(s.getMeta("m")).toEqual({ a: [1, 2] });
        expect(s.getMeta("none")).toBeUndefined();
        expect(s.transaction(() => 42)).toBe(42);
      }));
  });
}

conformance("memory", async (fn) => fn(new MemoryPostingStore()));

conformance("Durable Object SQLite", async (fn) => {
  const ns = (env as unknown as { ORG_POSTER: DurableObjectNamespace }).ORG_POSTER;
  await runInDurableObject(ns.get(ns.newUniqueId()), async (_instance, state) => {
    fn(SqlPostingStore.forDurableObject(state.storage));
  });
});
