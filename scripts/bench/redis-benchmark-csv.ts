/** Reading `redis-benchmark --csv` (bench:redis compares the check with it). Pure. */

/** requests/s per test from `redis-benchmark --csv`. */
export function parseBenchmarkCsv(csv: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const line of csv.split("\n")) {
        const m = /^"([A-Z]+)[^"]*","([\d.]+)"/.exec(line.trim());
        if (m) out.set(m[1], Number(m[2]));
    }
    return out;
}
