// redis:check against a hostile server (issue #20, class 6), through the bin: fake servers (node net servers in
// this test) that send a malformed bulk length, trickle an endless reply, redirect a key to a host the slot map
// never listed, or answer DEL with something that is not a count. The check must end within --timeout with one
// line, never spin, never send the AUTH token off the cluster, never report "NaN keys deleted".
import * as assert from "assert";
import * as net from "net";
import { REDIS_CHECK_EXIT_CODES } from "../../scripts/redis-check";
import { RespParser } from "../../scripts/redis-check/resp";
import { check, spawnCheck } from "./helpers";

const TOKEN = "Hostile-Test-Token-0001";
type Reply = string | ((socket: net.Socket) => void);

interface FakeServer {
    readonly port: number;
    /** Every command received, in order, as its arguments. */
    readonly seen: string[][];
    close(): Promise<void>;
}

/** A RESP server answering each command with `answer(args)` (raw RESP text, or an action on the socket). */
function fakeServer(answer: (args: string[]) => Reply): Promise<FakeServer> {
    const seen: string[][] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => undefined);
        const parser = new RespParser();
        socket.on("data", (chunk) => {
            parser.push(chunk);
            for (let v = parser.next(); v !== undefined; v = parser.next()) {
                const args = (v as string[]).map(String);
                seen.push(args);
                const reply = answer(args);
                if (typeof reply === "string") socket.write(reply);
                else reply(socket);
            }
        });
    });
    return new Promise((resolve) =>
        server.listen(0, "127.0.0.1", () =>
            resolve({
                port: (server.address() as net.AddressInfo).port,
                seen,
                close: () =>
                    new Promise<void>((done) => {
                        for (const s of sockets) s.destroy();
                        server.close(() => done());
                    }),
            }),
        ),
    );
}

const bulk = (s: string): string => `$${Buffer.byteLength(s)}\r\n${s}\r\n`;

/** What a healthy node answers to the probe's commands; undefined for the rest. */
function healthy(args: string[], cluster: boolean): string | undefined {
    const [cmd, sub] = [args[0].toUpperCase(), args[1]?.toUpperCase()];
    if (cmd === "AUTH") return "+OK\r\n";
    if (cmd === "PING") return "+PONG\r\n";
    if (cmd === "INFO")
        return bulk("# Server\r\nredis_version:7.0.15\r\nrole:master\r\nconnected_slaves:0\r\nloading:0\r\n");
    if (cmd === "CLUSTER" && sub === "INFO") {
        return cluster
            ? bulk(
                  "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\ncluster_known_nodes:1\r\n",
              )
            : "-ERR This instance has cluster support disabled\r\n";
    }
    return undefined;
}

describe("redis:check against a hostile server", function () {
    this.timeout(60_000);
    const servers: FakeServer[] = [];
    afterEach(async () => {
        await Promise.all(servers.splice(0).map((s) => s.close()));
    });
    const start = async (answer: (args: string[]) => Reply): Promise<FakeServer> => {
        const s = await fakeServer(answer);
        servers.push(s);
        return s;
    };
    const args = (s: FakeServer, ...more: string[]): string[] => [
        "--host",
        "127.0.0.1",
        "--port",
        String(s.port),
        ...more,
    ];

    it("a malformed bulk length ($x) is a protocol error at once, not a spin", async () => {
        const s = await start(() => "$x\r\n");
        const began = Date.now();
        const r = await check(args(s, "--timeout", "5"), { REDISCLI_AUTH: TOKEN }, 20_000);
        assert.ok(Date.now() - began < 15_000, "took too long");
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.error, r.stderr);
        assert.match(r.stderr, /not a valid bulk length: "x"/);
        assert.strictEqual(r.stderr.trim().split("\n").length, 1, r.stderr);
    });

    it("an endless reply trickled byte by byte ends at --timeout, and SIGTERM stops it at once", async () => {
        const trickle = (socket: net.Socket): void => {
            socket.write("+");
            const t = setInterval(() => (socket.destroyed ? clearInterval(t) : socket.write("a")), 20);
        };
        const s = await start(() => trickle);
        const began = Date.now();
        const r = await check(args(s, "--timeout", "3"), { REDISCLI_AUTH: TOKEN }, 20_000);
        assert.ok(Date.now() - began < 12_000, `took ${Date.now() - began} ms`);
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.timeout, r.stderr);

        const child = spawnCheck(args(s, "--timeout", "60"), { REDISCLI_AUTH: TOKEN });
        let out = "";
        child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
        // Signalled once the check is talking to the server (its handlers are installed by then).
        const before = s.seen.length;
        for (let i = 0; i < 200 && s.seen.length === before; i++) await new Promise((r) => setTimeout(r, 50));
        assert.ok(s.seen.length > before, "the check never reached the server");
        const stopped = Date.now();
        child.kill("SIGTERM");
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.ok(Date.now() - stopped < 3_000, `SIGTERM took ${Date.now() - stopped} ms`);
        assert.strictEqual(code, REDIS_CHECK_EXIT_CODES.interrupted, out);
    });

    it("a MOVED to a host the slot map never listed is refused, and that host never gets the AUTH token", async () => {
        const foreign = await start(() => "+OK\r\n");
        const s = await start((a) => {
            const known = healthy(a, true);
            if (known) return known;
            if (a[0].toUpperCase() === "CLUSTER" && a[1]?.toUpperCase() === "SLOTS")
                return `*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n${bulk("127.0.0.1")}:${s.port}\r\n${bulk("id1")}`;
            if (a[0].toUpperCase() === "SET") return `-MOVED 1234 127.0.0.1:${foreign.port}\r\n`;
            return "+OK\r\n";
        });
        const r = await check(args(s, "--timeout", "5"), { REDISCLI_AUTH: TOKEN }, 30_000);
        assert.notStrictEqual(r.code, 0, r.stdout);
        assert.match(
            r.stderr,
            new RegExp(
                `with MOVED to 127\\.0\\.0\\.1:${foreign.port}, which the cluster's slot map \\(CLUSTER SLOTS\\) does not list`,
            ),
        );
        assert.deepStrictEqual(foreign.seen, [], "the foreign host got commands");
        assert.ok(!r.stdout.includes(TOKEN) && !r.stderr.includes(TOKEN));
    });

    it("a MOVED in the bulk phases or the latency sample is never followed off the slot map", async () => {
        const foreign = await start(() => "+OK\r\n");
        const store = new Map<string, string>();
        let gets = 0;
        const s = await start((a) => {
            const known = healthy(a, true);
            if (known) return known;
            const cmd = a[0].toUpperCase();
            if (cmd === "CLUSTER" && a[1]?.toUpperCase() === "SLOTS")
                return `*1\r\n*3\r\n:0\r\n:16383\r\n*3\r\n${bulk("127.0.0.1")}:${s.port}\r\n${bulk("id1")}`;
            if (cmd === "SET") {
                store.set(a[1], a[2]);
                return "+OK\r\n";
            }
            // The read phase gets its values; every GET after it (the latency sample) is sent elsewhere.
            if (cmd === "GET")
                return ++gets <= 4 ? bulk(store.get(a[1]) ?? "") : `-MOVED 1 127.0.0.1:${foreign.port}\r\n`;
            if (cmd === "DEL") return ":1\r\n";
            if (cmd === "WAIT") return ":0\r\n";
            return "+OK\r\n";
        });
        const r = await check(
            args(s, "--keys", "4", "--timeout", "5", "--failover-wait", "0"),
            { REDISCLI_AUTH: TOKEN },
            40_000,
        );
        assert.ok(gets > 4, `the latency sample ran (${gets} GETs)`);
        assert.deepStrictEqual(foreign.seen, [], "the host outside the slot map got commands (and the AUTH token)");
        assert.strictEqual(r.code, 0, r.stdout + r.stderr);
    });

    it("an INFO count that is not a number is a clear error, never NaN replicas", async () => {
        const s = await start((a) => {
            if (a[0].toUpperCase() === "INFO")
                return bulk("# Server\r\nredis_version:7.0.15\r\nrole:master\r\nconnected_slaves:lots\r\n");
            return healthy(a, false) ?? "+OK\r\n";
        });
        const r = await check(args(s, "--keys", "4", "--timeout", "5"), { REDISCLI_AUTH: TOKEN }, 30_000);
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.error, r.stdout + r.stderr);
        assert.match(r.stderr, /INFO replication on 127\.0\.0\.1:\d+ gave connected_slaves "lots", not a count/);
        assert.doesNotMatch(r.stdout + r.stderr, /NaN/);
    });

    it("a reply to DEL that is not a count is a clear error, not 'NaN keys deleted'", async () => {
        const store = new Map<string, string>();
        const s = await start((a) => {
            const known = healthy(a, false);
            if (known) return known;
            const cmd = a[0].toUpperCase();
            if (cmd === "SET") {
                store.set(a[1], a[2]);
                return "+OK\r\n";
            }
            if (cmd === "GET") return store.has(a[1]) ? bulk(store.get(a[1])!) : "$-1\r\n";
            if (cmd === "DEL") return bulk("x");
            if (cmd === "WAIT") return ":0\r\n";
            return "+OK\r\n";
        });
        const r = await check(
            args(s, "--keys", "4", "--timeout", "5", "--failover-wait", "0"),
            { REDISCLI_AUTH: TOKEN },
            40_000,
        );
        assert.strictEqual(r.code, REDIS_CHECK_EXIT_CODES.error, r.stdout + r.stderr);
        assert.doesNotMatch(r.stdout + r.stderr, /NaN/);
        assert.match(
            r.stderr,
            /cleanup incomplete: .*DEL redis-check:\S+ on 127\.0\.0\.1:\d+ answered "x", not an integer 0 or 1/,
        );
    });
});
