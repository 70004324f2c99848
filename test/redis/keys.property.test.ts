// Properties of the check's key planning over random cluster layouts: every planned key hashes to the slot
// it claims, that slot belongs to the shard it claims, and the keys reach every shard.

import * as assert from "assert";
import fc from "fast-check";
import {
    crc16,
    keySlot,
    planKeys,
    type Shard,
    shardsFromSlotOwners,
    SLOT_COUNT,
    uncoveredSlots,
} from "../../scripts/redis-check/keys";

/** CRC16-CCITT (XMODEM) bit by bit, straight from its definition (poly 0x1021, init 0, no reflection). */
function crc16Reference(data: Buffer): number {
    let crc = 0;
    for (const byte of data) {
        crc ^= byte << 8;
        for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    }
    return crc;
}

/** Slot owners as CLUSTER SLOTS would give them: contiguous runs, each owned by one of a few nodes or by none. */
const slotOwners: fc.Arbitrary<(string | undefined)[]> = fc
    .record({
        cuts: fc.uniqueArray(fc.integer({ min: 1, max: SLOT_COUNT - 1 }), { maxLength: 12 }),
        nodes: fc.integer({ min: 1, max: 6 }),
        seed: fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 13, maxLength: 13 }),
    })
    .map(({ cuts, nodes, seed }) => {
        const bounds = [0, ...[...cuts].sort((a, b) => a - b), SLOT_COUNT];
        const owners: (string | undefined)[] = [];
        for (let run = 0; run + 1 < bounds.length; run++) {
            // One value past the node count marks the run as unserved.
            const owner = seed[run] % (nodes + 1) === nodes ? undefined : `n${seed[run] % (nodes + 1)}`;
            for (let s = bounds[run]; s < bounds[run + 1]; s++) owners.push(owner);
        }
        return owners;
    });

const servedBy = (shard: Shard, slot: number): boolean => shard.ranges.some((r) => slot >= r.start && slot <= r.end);

describe("redis-check key properties", () => {
    it("computes the same CRC16 as the bitwise definition", () => {
        fc.assert(
            fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
                const data = Buffer.from(bytes);
                assert.strictEqual(crc16(data), crc16Reference(data));
            }),
        );
    });

    it("maps every key to a slot of the cluster", () => {
        fc.assert(
            fc.property(fc.string(), (key) => {
                const slot = keySlot(key);
                assert.ok(Number.isInteger(slot) && slot >= 0 && slot < SLOT_COUNT, `${key}: ${slot}`);
            }),
        );
    });

    it("hashes only the first non-empty hash tag", () => {
        const noBraces = fc.string().filter((s) => !s.includes("{") && !s.includes("}"));
        fc.assert(
            fc.property(
                noBraces,
                noBraces.filter((s) => s.length > 0),
                fc.string(),
                (before, tag, after) => {
                    assert.strictEqual(keySlot(`${before}{${tag}}${after}`), keySlot(tag));
                },
            ),
        );
    });

    it("groups slot owners into maximal, disjoint ranges that account for every slot", () => {
        fc.assert(
            fc.property(slotOwners, (owners) => {
                const shards = shardsFromSlotOwners(owners);
                // Painting the ranges back gives the owners: every slot accounted for, none twice.
                const painted = new Array<string | undefined>(SLOT_COUNT).fill(undefined);
                for (const shard of shards) {
                    shard.ranges.forEach((r, i) => {
                        assert.ok(r.start <= r.end);
                        assert.ok(
                            painted.slice(r.start, r.end + 1).every((o) => o === undefined),
                            "ranges overlap",
                        );
                        painted.fill(shard.id, r.start, r.end + 1);
                        // Maximal: the slots either side belong to someone else (or to no one).
                        assert.notStrictEqual(owners[r.start - 1], shard.id);
                        assert.notStrictEqual(owners[r.end + 1], shard.id);
                        if (i > 0) assert.ok(shard.ranges[i - 1].end + 1 < r.start);
                    });
                }
                assert.deepStrictEqual(painted, owners);
                assert.strictEqual(new Set(shards.map((s) => s.id)).size, shards.length);
                assert.strictEqual(uncoveredSlots(owners), owners.filter((o) => o === undefined).length);
            }),
            // Each run walks all 16384 slots a few times; 40 layouts of up to 13 runs each is plenty.
            { numRuns: 40 },
        );
    });

    it("plans keys on their claimed slots, on their claimed shards, round-robin and balanced", () => {
        const layout = slotOwners.map(shardsFromSlotOwners).filter((shards) => shards.length > 0);
        fc.assert(
            fc.property(layout, fc.integer({ min: 1, max: 400 }), (shards, n) => {
                const keys = planKeys(n, "p", shards);
                assert.strictEqual(keys.length, n);
                assert.strictEqual(new Set(keys.map((k) => k.key)).size, n);
                const perShard = new Map<string, number>();
                keys.forEach((k, i) => {
                    const shard = shards[i % shards.length];
                    assert.strictEqual(k.index, i);
                    assert.strictEqual(k.shard, shard.id);
                    assert.strictEqual(keySlot(k.key), k.slot, k.key);
                    assert.ok(servedBy(shard, k.slot), `${k.key} on slot ${k.slot}, not served by ${shard.id}`);
                    assert.ok(k.key.startsWith("p:{"), k.key);
                    perShard.set(k.shard, (perShard.get(k.shard) ?? 0) + 1);
                });
                const counts = shards.map((s) => perShard.get(s.id) ?? 0);
                assert.ok(Math.max(...counts) - Math.min(...counts) <= 1, `unbalanced: ${counts}`);
                if (n >= shards.length)
                    assert.ok(
                        counts.every((c) => c > 0),
                        `a shard got no key: ${counts}`,
                    );
                // Each shard's first key is on its first slot.
                for (const [i, shard] of shards.entries()) {
                    if (i < n) assert.strictEqual(keys[i].slot, shard.ranges[0].start);
                }
            }),
            { numRuns: 40 },
        );
    });

    it("writes every slot of a shard once there are as many keys for it as it has slots", () => {
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 0, max: 3 }), (size, extra) => {
                const shards = [
                    { id: "a", ranges: [{ start: 100, end: 100 + size - 1 }] },
                    { id: "b", ranges: [{ start: 5000, end: 5000 + size - 1 }] },
                ];
                const keys = planKeys(2 * (size + extra), "p", shards);
                for (const shard of shards) {
                    const slots = new Set(keys.filter((k) => k.shard === shard.id).map((k) => k.slot));
                    assert.strictEqual(slots.size, size, `${shard.id}: ${slots.size} of ${size} slots`);
                }
            }),
        );
    });
});
