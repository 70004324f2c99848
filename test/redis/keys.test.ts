import * as assert from "assert";
import {
    crc16,
    keySlot,
    planKeys,
    shardsFromSlotOwners,
    SLOT_COUNT,
    tagForSlot,
    uncoveredSlots,
} from "../../scripts/redis-check/keys";

describe("redis-check keys", () => {
    it("computes CRC16 (XMODEM) as the cluster spec's reference value", () => {
        // From the Redis Cluster specification: "123456789" -> 0x31C3.
        assert.strictEqual(crc16(Buffer.from("123456789")), 0x31c3);
    });

    it("maps keys to the slots Redis reports for them", () => {
        // CLUSTER KEYSLOT values from a real Redis 7.0 server.
        assert.strictEqual(keySlot("foo"), 12182);
        assert.strictEqual(keySlot("bar"), 5061);
        assert.strictEqual(keySlot("key1"), 9189);
    });

    it("honours hash tags only as Redis does", () => {
        assert.strictEqual(keySlot("{user1000}.following"), keySlot("user1000"));
        assert.strictEqual(keySlot("{user1000}.followers"), keySlot("{user1000}.following"));
        // An empty tag hashes the whole key; only the first {...} counts.
        assert.strictEqual(keySlot("foo{}{bar}"), crc16(Buffer.from("foo{}{bar}")) % SLOT_COUNT);
        assert.strictEqual(keySlot("foo{{bar}}zap"), crc16(Buffer.from("{bar")) % SLOT_COUNT);
        assert.strictEqual(keySlot("foo{bar}{zap}"), keySlot("bar"));
    });

    it("has a hash tag for every one of the 16384 slots", () => {
        for (let slot = 0; slot < SLOT_COUNT; slot++) {
            assert.strictEqual(keySlot(`x:{${tagForSlot(slot)}}:y`), slot, `slot ${slot}`);
        }
        assert.throws(() => tagForSlot(16384), /slot must be an integer in 0..16383, got 16384/);
    });

    const threeShards = [
        { id: "a:1", ranges: [{ start: 0, end: 5460 }] },
        { id: "b:2", ranges: [{ start: 5461, end: 10922 }] },
        { id: "c:3", ranges: [{ start: 10923, end: 16383 }] },
    ];

    it("plans keys that land on every shard, in its own slots", () => {
        const keys = planKeys(300, "t", threeShards);
        assert.strictEqual(keys.length, 300);
        assert.strictEqual(new Set(keys.map((k) => k.key)).size, 300);
        for (const s of threeShards) {
            const mine = keys.filter((k) => k.shard === s.id);
            assert.strictEqual(mine.length, 100);
            for (const k of mine) {
                assert.strictEqual(keySlot(k.key), k.slot);
                assert.ok(
                    k.slot >= s.ranges[0].start && k.slot <= s.ranges[0].end,
                    `${k.key} slot ${k.slot} outside ${s.id}`,
                );
            }
            // Spread over the range, not bunched at its start.
            const slots = mine.map((k) => k.slot);
            assert.ok(Math.max(...slots) - Math.min(...slots) > 5000);
        }
        // The first keys are one per shard (the redirect tour relies on this).
        assert.deepStrictEqual(
            keys.slice(0, 3).map((k) => k.shard),
            ["a:1", "b:2", "c:3"],
        );
    });

    it("covers every slot range of a shard with split ranges", () => {
        const shards = [
            {
                id: "a",
                ranges: [
                    { start: 0, end: 99 },
                    { start: 8000, end: 8099 },
                ],
            },
            {
                id: "b",
                ranges: [
                    { start: 100, end: 7999 },
                    { start: 8100, end: 16383 },
                ],
            },
        ];
        const keys = planKeys(10, "t", shards);
        const aSlots = keys.filter((k) => k.shard === "a").map((k) => k.slot);
        assert.ok(aSlots.some((s) => s < 100) && aSlots.some((s) => s >= 8000 && s <= 8099), `a's slots ${aSlots}`);
    });

    it("rejects impossible plans with the bad value", () => {
        assert.throws(() => planKeys(0, "t", threeShards), /positive integer, got 0/);
        assert.throws(() => planKeys(5, "t", []), /at least one shard/);
        assert.throws(() => planKeys(5, "t", [{ id: "z", ranges: [] }]), /shard z serves no slots/);
    });

    it("groups slot owners into shards and counts uncovered slots", () => {
        const owners: (string | undefined)[] = [];
        for (let s = 0; s < SLOT_COUNT; s++)
            owners.push(s < 100 ? "x" : s < 200 ? "y" : s < 300 ? "x" : s < 16000 ? "y" : undefined);
        assert.deepStrictEqual(shardsFromSlotOwners(owners), [
            {
                id: "x",
                ranges: [
                    { start: 0, end: 99 },
                    { start: 200, end: 299 },
                ],
            },
            {
                id: "y",
                ranges: [
                    { start: 100, end: 199 },
                    { start: 300, end: 15999 },
                ],
            },
        ]);
        assert.strictEqual(uncoveredSlots(owners), 384);
    });
});
