import { strict as assert } from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PRICE_TABLE } from "../../policy/shared";
import { OFFERS, type OfferFile, onDemandProducts, regionPricesFrom } from "../../scripts/price-list/price-list";

const REPO = path.resolve(__dirname, "../..");
const FIXTURE = path.join(REPO, "test/fixtures/price-list");
const SCRIPT = path.join(REPO, "scripts/price-list/update-prices.ts");
const load = (offer: string) =>
    JSON.parse(fs.readFileSync(path.join(FIXTURE, offer, "us-east-1.json"), "utf8")) as OfferFile;
const offers = () => OFFERS.map(load);

function run(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", SCRIPT, ...args],
            { cwd: REPO, env: { ...process.env, ...env }, timeout: 60_000 },
            (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
        );
    });
}

describe("price table from the Price List bulk files (scripts/price-list)", () => {
    it("reads on-demand prices of the region, skipping a leading free tier", () => {
        const cw = onDemandProducts(load("AmazonCloudWatch"), "us-east-1");
        assert.equal(cw.find((p) => p.usage === "CW:AlarmMonitorUsage")?.usd, 0.1);
        assert.deepEqual(onDemandProducts(load("awskms"), "ap-northeast-2"), []);
    });
    it("cuts the table: Linux shared instances, node prices by engine, EBS by type, the scalars", () => {
        const { prices, missing } = regionPricesFrom(offers(), "us-east-1");
        assert.deepEqual(missing, []);
        assert.deepEqual(prices.cacheNodeHourly, {
            redis: { "cache.t3.micro": 0.017, "cache.m7g.large": 0.158 },
            valkey: { "cache.t3.micro": 0.0136 },
            memcached: {},
        });
        assert.deepEqual(prices.ec2InstanceHourly, { "t3.micro": 0.0104 });
        assert.deepEqual(prices.ebsGbMonth, { gp3: 0.08, gp2: 0.1, st1: 0.045, sc1: 0.015, standard: 0.05 });
        assert.deepEqual(
            [prices.publicIpv4Hourly, prices.kmsKeyMonthly, prices.cacheBackupGbMonth, prices.logsIngestionGb],
            [0.005, 1, 0.085, 0.5],
        );
    });
    it("agrees with the pinned table wherever the fixture has the figure", () => {
        const { prices } = regionPricesFrom(offers(), "us-east-1");
        const pinned = PRICE_TABLE.regions["us-east-1"];
        for (const [k, v] of Object.entries(prices)) {
            if (typeof v === "number") assert.equal(v, pinned[k as keyof typeof pinned], k);
        }
        assert.equal(prices.cacheNodeHourly.redis["cache.m7g.large"], pinned.cacheNodeHourly.redis["cache.m7g.large"]);
    });
    it("names what the files lack", () => {
        const { missing } = regionPricesFrom(
            offers().filter((o) => o.offerCode !== "awskms"),
            "us-east-1",
        );
        assert.deepEqual(missing, ["KMS key (usagetype KMS-Keys)"]);
    });
    it("writes a dated, formatted, loadable table with --from", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
        try {
            fs.copyFileSync(path.join(REPO, "policy/shared/cost/price-table.ts"), path.join(dir, "price-table.ts"));
            const out = path.join(dir, "prices.ts");
            const r = await run(["--from", FIXTURE, "--regions", "us-east-1", "--out", out]);
            assert.equal(r.code, 0, r.stderr);
            assert.match(r.stdout, /prices as of 2026-11-15/);
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            const table = (require(out) as { PRICE_TABLE: typeof PRICE_TABLE }).PRICE_TABLE;
            assert.equal(table.pricesAsOf, "2026-11-15");
            assert.equal(table.regions["us-east-1"].cacheNodeHourly.redis["cache.t3.micro"], 0.017);
            assert.match(fs.readFileSync(out, "utf8"), /^\/\/ The pinned price table[\s\S]*Do not edit by hand/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
    it("without a network says so in one line (exit 2)", async () => {
        // A port nobody listens on: taken from the OS, then released.
        const port = await new Promise<number>((resolve) => {
            const srv = net.createServer().listen(0, "127.0.0.1", () => {
                const p = (srv.address() as net.AddressInfo).port;
                srv.close(() => resolve(p));
            });
        });
        const r = await run(["--regions", "us-east-1", "--out", "/nonexistent/prices.ts"], {
            PRICE_LIST_BASE: `http://127.0.0.1:${port}/offers`,
        });
        assert.equal(r.code, 2);
        assert.equal(r.stderr.trim().split("\n").length, 1);
        assert.match(r.stderr, /^update-prices: cannot reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\): no network here/);
    });
    it("refuses an unknown option and a missing region file (exit 2)", async () => {
        assert.match((await run(["--bogus", "x"])).stderr, /unknown option --bogus/);
        const r = await run(["--from", FIXTURE, "--regions", "ap-northeast-2"]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /ap-northeast-2\.json does not exist/);
    });
});
