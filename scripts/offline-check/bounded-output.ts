// What the checker keeps of a child's output (issue #20): a child may write any amount (a pack printing hundreds
// of MB to stderr crashed the checker with "Invalid string length"), so every channel is bounded. Error messages
// need the first error line (usually near the start) and the last lines (the end of a stack trace): the first
// HEAD_BYTES are kept, then the last TAIL_BYTES as a ring, with a line saying how much was left out between.

/** Kept from the start of the output. */
export const HEAD_BYTES = 16 * 1024;
/** Kept from the end of the output. */
export const TAIL_BYTES = 64 * 1024;

/** A child's output, at most HEAD_BYTES + TAIL_BYTES of it kept, whatever it writes. */
export class BoundedOutput {
    private head = Buffer.alloc(0);
    private tail: Buffer[] = [];
    private tailBytes = 0;
    private total = 0;

    constructor(
        private readonly headBytes = HEAD_BYTES,
        private readonly tailLimit = TAIL_BYTES,
    ) {}

    push(chunk: Buffer): void {
        this.total += chunk.length;
        if (this.head.length < this.headBytes) {
            const take = chunk.subarray(0, this.headBytes - this.head.length);
            this.head = Buffer.concat([this.head, take]);
            chunk = chunk.subarray(take.length);
        }
        if (chunk.length === 0) {
            return;
        }
        this.tail.push(chunk.length > this.tailLimit ? chunk.subarray(chunk.length - this.tailLimit) : chunk);
        this.tailBytes += Math.min(chunk.length, this.tailLimit);
        while (this.tailBytes - this.tail[0].length >= this.tailLimit) {
            this.tailBytes -= this.tail.shift()!.length;
        }
    }

    /** Every byte written so far. */
    get bytes(): number {
        return this.total;
    }

    /** What was kept, as text: the head, a line naming what was left out (if anything), the tail. */
    text(): string {
        let tail = Buffer.concat(this.tail);
        if (tail.length > this.tailLimit) {
            tail = tail.subarray(tail.length - this.tailLimit);
        }
        const omitted = this.total - this.head.length - tail.length;
        if (omitted <= 0) {
            return Buffer.concat([this.head, tail]).toString("utf8");
        }
        return `${this.head.toString("utf8")}\n[... ${omitted} bytes left out ...]\n${tail.toString("utf8")}`;
    }
}
