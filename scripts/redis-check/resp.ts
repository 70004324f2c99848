/**
 * A minimal RESP2 encoder and incremental parser. The probe speaks raw RESP (not ioredis) so that
 * each failure -- DNS, TCP, TLS handshake, AUTH -- is seen where it happens, not as "Connection is closed."
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

/** Feed bytes with push(); take complete replies with next() (undefined while incomplete). */
export class RespParser {
    private buf: Buffer = Buffer.alloc(0);

    push(chunk: Buffer): void {
        this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    }

    next(): RespValue | undefined {
        const r = this.parseAt(0);
        if (r === undefined) return undefined;
        this.buf = this.buf.subarray(r.end);
        return r.value;
    }

    private line(pos: number): { text: string; end: number } | undefined {
        const i = this.buf.indexOf("\r\n", pos);
        if (i === -1) return undefined;
        return { text: this.buf.toString("utf8", pos + 1, i), end: i + 2 };
    }

    private parseAt(pos: number): { value: RespValue; end: number } | undefined {
        if (pos >= this.buf.length) return undefined;
        const type = String.fromCharCode(this.buf[pos]);
        const l = this.line(pos);
        if (l === undefined) return undefined;
        switch (type) {
            case "+":
                return { value: l.text, end: l.end };
            case "-":
                return { value: new RespError(l.text), end: l.end };
            case ":":
                return { value: Number(l.text), end: l.end };
            case "$": {
                const len = Number(l.text);
                if (len < 0) return { value: null, end: l.end };
                if (this.buf.length < l.end + len + 2) return undefined;
                return { value: this.buf.toString("utf8", l.end, l.end + len), end: l.end + len + 2 };
            }
            case "*": {
                const n = Number(l.text);
                if (n < 0) return { value: null, end: l.end };
                const items: RespValue[] = [];
                let p = l.end;
                for (let i = 0; i < n; i++) {
                    const item = this.parseAt(p);
                    if (item === undefined) return undefined;
                    items.push(item.value);
                    p = item.end;
                }
                return { value: items, end: p };
            }
            default:
                throw new RespProtocolError(
                    `not a Redis reply (first byte 0x${this.buf[pos].toString(16).padStart(2, "0")})`,
                );
        }
    }
}

/** Parses a `-MOVED 3999 127.0.0.1:6381` / `-ASK ...` error into slot and address. */
export function parseRedirect(
    message: string,
): { kind: "MOVED" | "ASK"; slot: number; host: string; port: number } | undefined {
    const m = /^(MOVED|ASK) (\d+) (.*):(\d+)$/.exec(message);
    if (!m) return undefined;
    return { kind: m[1] as "MOVED" | "ASK", slot: Number(m[2]), host: m[3], port: Number(m[4]) };
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
