/**
 * A minimal RESP2 encoder and incremental parser. The probe speaks raw RESP (not ioredis) so that
 * each failure -- DNS, TCP, TLS handshake, AUTH -- is seen where it happens, not as "Connection is closed."
 *
 * The server is not trusted (issue #20): the parser is total and bounded. Every reply either parses, waits for
 * more bytes, or fails with RespProtocolError; each parsed reply consumes bytes, so a loop over next() ends.
 * Lengths and counts must be plain decimal integers (`$x`, `$1.5`, `$+1` fail: a NaN length used to spin at 100%
 * CPU forever), lines, bulk strings, arrays and nesting are bounded, and a bulk string must end in CRLF.
 */

export class RespError {
    constructor(readonly message: string) {}
    /** The error prefix, e.g. WRONGPASS, NOAUTH, MOVED, CLUSTERDOWN. */
    get code(): string {
        return this.message.split(" ")[0];
    }
}

export type RespValue = string | number | null | RespError | RespValue[];

export function encodeCommand(args: readonly (string | number)[]): Buffer {
    const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`)];
    for (const a of args) {
        const b = Buffer.from(String(a));
        parts.push(Buffer.from(`$${b.length}\r\n`), b, Buffer.from("\r\n"));
    }
    return Buffer.concat(parts);
}

export class RespProtocolError extends Error {}

/** Bounds of what a reply may be (the check reads short values, INFO text and CLUSTER SLOTS). */
export interface RespLimits {
    /** Longest simple string, error or length line, CRLF excluded. */
    readonly maxLine: number;
    /** Longest bulk string. */
    readonly maxBulk: number;
    /** Most elements in one array. */
    readonly maxArray: number;
    /** Deepest nesting of arrays. */
    readonly maxDepth: number;
}

export const RESP_LIMITS: RespLimits = {
    maxLine: 64 * 1024,
    maxBulk: 64 * 1024 * 1024,
    maxArray: 1024 * 1024,
    maxDepth: 32,
};

/** A RESP integer: an optional minus and decimal digits, nothing else (no spaces, `+`, decimals or exponents). */
const INTEGER = /^-?[0-9]{1,19}$/;

/** Feed bytes with push(); take complete replies with next() (undefined while incomplete). */
export class RespParser {
    private chunks: Buffer[] = [];
    private length = 0;
    private buf: Buffer = Buffer.alloc(0);
    /** The buffer length the last incomplete parse needs at least: until then next() does not parse again. */
    private need = 0;

    constructor(private readonly limits: RespLimits = RESP_LIMITS) {}

    push(chunk: Buffer): void {
        this.chunks.push(chunk);
        this.length += chunk.length;
    }

    next(): RespValue | undefined {
        if (this.length < this.need || this.length === 0) return undefined;
        if (this.chunks.length > 1 || this.chunks[0] !== this.buf) {
            this.buf = Buffer.concat(this.chunks, this.length);
            this.chunks = [this.buf];
        }
        const r = this.parseAt(0, 0);
        if (r === undefined) return undefined;
        this.buf = this.buf.subarray(r.end);
        this.chunks = this.buf.length > 0 ? [this.buf] : [];
        this.length = this.buf.length;
        this.need = 0;
        return r.value;
    }

    private incomplete(atLeast: number): undefined {
        this.need = atLeast;
        return undefined;
    }

    /** The line starting at pos (after its type byte), bounded by maxLine. */
    private line(pos: number): { text: string; end: number } | undefined {
        const limit = Math.min(this.buf.length, pos + 1 + this.limits.maxLine + 2);
        const i = this.buf.subarray(0, limit).indexOf("\r\n", pos + 1);
        if (i === -1) {
            if (this.buf.length >= pos + 1 + this.limits.maxLine + 2) {
                throw new RespProtocolError(`a reply line longer than ${this.limits.maxLine} bytes`);
            }
            return this.incomplete(this.buf.length + 1);
        }
        return { text: this.buf.toString("utf8", pos + 1, i), end: i + 2 };
    }

    /** A length or count: a RESP integer from -1 up to `max`. */
    private count(text: string, what: string, max: number): number {
        const n = INTEGER.test(text) ? Number(text) : NaN;
        if (!Number.isSafeInteger(n) || n < -1) {
            throw new RespProtocolError(`not a valid ${what}: ${JSON.stringify(text.slice(0, 40))}`);
        }
        if (n > max) throw new RespProtocolError(`a ${what} of ${n} is over the limit of ${max}`);
        return n;
    }

    private parseAt(pos: number, depth: number): { value: RespValue; end: number } | undefined {
        if (pos >= this.buf.length) return this.incomplete(pos + 1);
        const type = this.buf[pos];
        if (![0x2b, 0x2d, 0x3a, 0x24, 0x2a].includes(type)) {
            throw new RespProtocolError(`not a Redis reply (first byte 0x${type.toString(16).padStart(2, "0")})`);
        }
        const l = this.line(pos);
        if (l === undefined) return undefined;
        switch (type) {
            case 0x2b: // +
                return { value: l.text, end: l.end };
            case 0x2d: // -
                return { value: new RespError(l.text), end: l.end };
            case 0x3a: {
                // :
                const n = INTEGER.test(l.text) ? Number(l.text) : NaN;
                if (!Number.isSafeInteger(n)) {
                    throw new RespProtocolError(`not a valid integer reply: ${JSON.stringify(l.text.slice(0, 40))}`);
                }
                return { value: n, end: l.end };
            }
            case 0x24: {
                // $
                const len = this.count(l.text, "bulk length", this.limits.maxBulk);
                if (len === -1) return { value: null, end: l.end };
                if (this.buf.length < l.end + len + 2) return this.incomplete(l.end + len + 2);
                if (this.buf[l.end + len] !== 0x0d || this.buf[l.end + len + 1] !== 0x0a) {
                    throw new RespProtocolError(`a bulk string of ${len} bytes not followed by CRLF`);
                }
                return { value: this.buf.toString("utf8", l.end, l.end + len), end: l.end + len + 2 };
            }
            default: {
                // *
                const n = this.count(l.text, "array length", this.limits.maxArray);
                if (n === -1) return { value: null, end: l.end };
                if (n > 0 && depth >= this.limits.maxDepth) {
                    throw new RespProtocolError(`arrays nested deeper than ${this.limits.maxDepth}`);
                }
                const items: RespValue[] = [];
                let p = l.end;
                for (let i = 0; i < n; i++) {
                    const item = this.parseAt(p, depth + 1);
                    if (item === undefined) return undefined;
                    items.push(item.value);
                    p = item.end;
                }
                return { value: items, end: p };
            }
        }
    }
}

/** Parses a `-MOVED 3999 127.0.0.1:6381` / `-ASK ...` error into slot and address. */
export function parseRedirect(
    message: string,
): { kind: "MOVED" | "ASK"; slot: number; host: string; port: number } | undefined {
    const m = /^(MOVED|ASK) (\d{1,5}) (.*):(\d{1,5})$/.exec(message);
    if (!m) return undefined;
    const [slot, port] = [Number(m[2]), Number(m[4])];
    // A slot outside the 16384 or a port outside TCP's is no redirect a Redis server sends: an error like any other.
    if (slot > 16383 || port < 1 || port > 65535) return undefined;
    return { kind: m[1] as "MOVED" | "ASK", slot, host: m[3], port };
}

/**
 * A count in an INFO reply (`connected_slaves`): a plain non-negative integer; 0 when the field is absent,
 * undefined when the server sent anything else (never NaN into WAIT's arguments).
 */
export function infoCount(info: Readonly<Record<string, string>>, field: string): number | undefined {
    const text = info[field];
    if (text === undefined) return 0;
    return /^\d{1,9}$/.test(text) ? Number(text) : undefined;
}

/** `CLUSTER INFO` text into its fields. */
export function parseInfo(text: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const raw of text.split("\n")) {
        const line = raw.trim();
        if (line === "" || line.startsWith("#")) continue;
        const i = line.indexOf(":");
        if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
    }
    return out;
}
