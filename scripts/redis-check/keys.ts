/**
 * Redis Cluster key-to-slot mapping and the choice of keys the check writes.
 * The check must touch every shard, so keys are built from hash tags chosen to land on given slots.
 */

export const SLOT_COUNT = 16384;

// CRC16-CCITT (XMODEM), as in the Redis Cluster specification (crc16.c).
const CRC16_TABLE: Uint16Array = (() => {
    const table = new Uint16Array(256);
    for (let i = 0; i < 256; i++) {
        let crc = i << 8;
        for (let bit = 0; bit < 8; bit++) {
            crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
        }
        table[i] = crc;
    }
    return table;
})();

export function crc16(data: Buffer): number {
    let crc = 0;
    for (const byte of data) {
        crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
    }
    return crc;
}

/** The slot of a key, honouring `{hash tags}` as Redis does (first `{`, then the next `}`, non-empty). */
export function keySlot(key: string): number {
    const open = key.indexOf("{");
    if (open !== -1) {
        const close = key.indexOf("}", open + 1);
        if (close > open + 1) {
            return crc16(Buffer.from(key.slice(open + 1, close))) % SLOT_COUNT;
        }
    }
    return crc16(Buffer.from(key)) % SLOT_COUNT;
}

let tagsBySlot: string[] | undefined;

/** A short hash tag for every slot; the search over base-36 counters covers all 16384 slots in ~200k tries. */
export function tagForSlot(slot: number): string {
    if (!Number.isInteger(slot) || slot < 0 || slot >= SLOT_COUNT) {
        throw new RangeError(`slot must be an integer in 0..${SLOT_COUNT - 1}, got ${slot}`);
    }
    if (!tagsBySlot) {
        const tags: string[] = new Array<string>(SLOT_COUNT);
        let missing = SLOT_COUNT;
        for (let n = 0; missing > 0; n++) {
            const tag = n.toString(36);
            const s = crc16(Buffer.from(tag)) % SLOT_COUNT;
            if (tags[s] === undefined) {
                tags[s] = tag;
                missing--;
            }
        }
        tagsBySlot = tags;
    }
    return tagsBySlot[slot];
}

export interface SlotRange {
    readonly start: number;
    readonly end: number;
}

export interface Shard {
    /** A stable label for reports, e.g. the primary's address when the check started. */
    readonly id: string;
    readonly ranges: readonly SlotRange[];
}

export interface PlannedKey {
    readonly key: string;
    readonly slot: number;
    readonly shard: string;
    readonly index: number;
}

/**
 * `n` keys spread round-robin over the shards, and within a shard evenly over its slots, so that with
 * n >= shards.length every shard is written and with more keys every slot range is.
 */
export function planKeys(n: number, prefix: string, shards: readonly Shard[]): PlannedKey[] {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`number of keys must be a positive integer, got ${n}`);
    if (shards.length === 0) throw new RangeError("there must be at least one shard to plan keys for");
    const slotsOf = shards.map((shard) => {
        const slots: number[] = [];
        for (const r of shard.ranges) for (let s = r.start; s <= r.end; s++) slots.push(s);
        if (slots.length === 0) throw new RangeError(`shard ${shard.id} serves no slots`);
        return slots;
    });
    const perShard = shards.map((_, i) => Math.floor(n / shards.length) + (i < n % shards.length ? 1 : 0));
    const seen = shards.map(() => 0);
    const keys: PlannedKey[] = [];
    for (let index = 0; index < n; index++) {
        const s = index % shards.length;
        const slots = slotsOf[s];
        const k = seen[s]++;
        // Evenly spaced through the shard's slots (first key on the first slot, last near the end).
        const slot = slots[Math.floor((k * slots.length) / Math.max(perShard[s], 1)) % slots.length];
        keys.push({ key: `${prefix}:{${tagForSlot(slot)}}:${index}`, slot, shard: shards[s].id, index });
    }
    return keys;
}

/** Groups consecutive slots with the same owner into shards, as CLUSTER SLOTS lists them. */
export function shardsFromSlotOwners(owners: ReadonlyArray<string | undefined>): Shard[] {
    const byOwner = new Map<string, SlotRange[]>();
    let start = -1;
    let current: string | undefined;
    const flush = (end: number): void => {
        if (current === undefined || start < 0) return;
        const list = byOwner.get(current) ?? [];
        list.push({ start, end });
        byOwner.set(current, list);
    };
    for (let slot = 0; slot <= SLOT_COUNT; slot++) {
        const owner = slot < SLOT_COUNT ? owners[slot] : undefined;
        if (owner !== current) {
            flush(slot - 1);
            current = owner;
            start = slot;
        }
    }
    return [...byOwner.entries()].map(([id, ranges]) => ({ id, ranges }));
}

/** Slots not served by any shard: a cluster with any is not fully covered (cluster_state:fail). */
export function uncoveredSlots(owners: ReadonlyArray<string | undefined>): number {
    let n = 0;
    for (let slot = 0; slot < SLOT_COUNT; slot++) if (owners[slot] === undefined) n++;
    return n;
}
