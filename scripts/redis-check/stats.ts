/** Latency summaries for the report. */

/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
    if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in 0..100, got ${p}`);
    if (samples.length === 0) return NaN;
    const sorted = [...samples].sort((a, b) => a - b);
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return sorted[rank - 1];
}

export interface LatencySummary {
    readonly samples: number;
    readonly p50Ms: number;
    readonly p99Ms: number;
    readonly maxMs: number;
}

export function summarizeLatency(samplesMs: readonly number[]): LatencySummary {
    return {
        samples: samplesMs.length,
        p50Ms: percentile(samplesMs, 50),
        p99Ms: percentile(samplesMs, 99),
        maxMs: percentile(samplesMs, 100),
    };
}
