// Properties of the maintenance/snapshot window arithmetic, against a minute-by-minute oracle written here:
// windows wrap past midnight and past Saturday, so the edge cases live exactly where examples rarely look.

import { strict as assert } from "assert";
import fc from "fast-check";
import {
    type DailyWindow,
    type WeeklyWindow,
    durationMinutes,
    parseDailyWindow,
    parseWeeklyWindow,
    windowsOverlap,
} from "../../policy/shared/windows";

const DAY = 1440;
const WEEK = 7 * DAY;
const NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

const pad = (n: number): string => String(n).padStart(2, "0");
const hhmm = (minuteOfDay: number): string => `${pad(Math.floor(minuteOfDay / 60))}:${pad(minuteOfDay % 60)}`;
const dddhhmm = (minuteOfWeek: number): string =>
    `${NAMES[Math.floor(minuteOfWeek / DAY)]}:${hhmm(minuteOfWeek % DAY)}`;

const minuteOfDay = fc.integer({ min: 0, max: DAY - 1 });
const minuteOfWeek = fc.integer({ min: 0, max: WEEK - 1 });

/**
 * A window as start and length: starts anywhere or just before the wrap, lengths anywhere or short, so that
 * windows crossing midnight or Saturday night and windows touching end to start come up often.
 */
function windowOf(period: number): fc.Arbitrary<[number, number]> {
    const start = fc.oneof(fc.integer({ min: 0, max: period - 1 }), fc.integer({ min: period - 180, max: period - 1 }));
    const length = fc.oneof(fc.integer({ min: 0, max: period - 1 }), fc.integer({ min: 0, max: 180 }));
    return fc.tuple(start, length).map(([s, len]) => [s, (s + len) % period]);
}

const daily = windowOf(DAY).map(([s, e]) => parseDailyWindow(`${hhmm(s)}-${hhmm(e)}`));
const weekly = windowOf(WEEK).map(([s, e]) => parseWeeklyWindow(`${dddhhmm(s)}-${dddhhmm(e)}`));
const anyWindow = fc.oneof(daily, weekly);
const emptyWindow = fc.oneof(
    minuteOfDay.map((m) => parseDailyWindow(`${hhmm(m)}-${hhmm(m)}`)),
    minuteOfWeek.map((m) => parseWeeklyWindow(`${dddhhmm(m)}-${dddhhmm(m)}`)),
);

const shiftDaily = (w: DailyWindow, by: number): DailyWindow =>
    parseDailyWindow(`${hhmm((w.start + by) % DAY)}-${hhmm((w.end + by) % DAY)}`);
const shiftWeekly = (w: WeeklyWindow, by: number): WeeklyWindow =>
    parseWeeklyWindow(`${dddhhmm((w.start + by) % WEEK)}-${dddhhmm((w.end + by) % WEEK)}`);

/** The minutes of the week a window covers (1 = covered); a daily window covers its minutes on all 7 days. */
function minutesCovered(w: DailyWindow | WeeklyWindow): Uint8Array {
    const covered = new Uint8Array(WEEK);
    const period = w.kind === "weekly" ? WEEK : DAY;
    // Counted, not walked until the end is met: a broken parse (NaN, out of range) must fail, not hang.
    const length = (((w.end - w.start) % period) + period) % period;
    for (let i = 0; i < length; i++) {
        const m = (w.start + i) % period;
        if (w.kind === "weekly") covered[m] = 1;
        else for (let day = 0; day < 7; day++) covered[(day * DAY + m) % WEEK] = 1;
    }
    return covered;
}

function overlapOracle(a: DailyWindow | WeeklyWindow, b: DailyWindow | WeeklyWindow): boolean {
    const inA = minutesCovered(a);
    const inB = minutesCovered(b);
    return inA.some((covered, m) => covered === 1 && inB[m] === 1);
}

describe("window properties", () => {
    it("round-trips every time of day and of week through the parsers", () => {
        fc.assert(
            fc.property(minuteOfDay, minuteOfDay, (s, e) => {
                const w = parseDailyWindow(`${hhmm(s)}-${hhmm(e)}`);
                assert.deepEqual([w.start, w.end], [s, e]);
            }),
        );
        fc.assert(
            fc.property(minuteOfWeek, minuteOfWeek, (s, e) => {
                const w = parseWeeklyWindow(`${dddhhmm(s)}-${dddhhmm(e)}`);
                assert.deepEqual([w.start, w.end], [s, e]);
            }),
        );
    });

    it("reads day names in any case", () => {
        fc.assert(
            fc.property(minuteOfWeek, fc.boolean(), (s, upper) => {
                const text = `${dddhhmm(s)}-${dddhhmm(s)}`;
                const cased = upper ? text.toUpperCase() : text.replace(/^(.)/, (c) => c.toUpperCase());
                assert.equal(parseWeeklyWindow(cased).start, s);
            }),
        );
    });

    it("measures a duration within one period, the forward distance from start to end", () => {
        fc.assert(
            fc.property(anyWindow, (w) => {
                const period = w.kind === "weekly" ? WEEK : DAY;
                const d = durationMinutes(w);
                assert.ok(d >= 0 && d < period, `${w.text}: ${d}`);
                assert.equal((w.start + d) % period, w.end);
            }),
        );
    });

    it("agrees with a minute-by-minute comparison, across midnight and the week wrap", () => {
        fc.assert(
            fc.property(anyWindow, anyWindow, (a, b) => {
                assert.equal(windowsOverlap(a, b), overlapOracle(a, b), `${a.text} vs ${b.text}`);
            }),
            { numRuns: 300 },
        );
    });

    it("is symmetric", () => {
        fc.assert(
            fc.property(anyWindow, anyWindow, (a, b) => {
                assert.equal(windowsOverlap(a, b), windowsOverlap(b, a), `${a.text} vs ${b.text}`);
            }),
        );
    });

    it("a window overlaps itself exactly when it is not empty", () => {
        fc.assert(
            fc.property(anyWindow, (w) => {
                assert.equal(windowsOverlap(w, w), durationMinutes(w) > 0, w.text);
            }),
        );
    });

    it("an empty window overlaps nothing", () => {
        fc.assert(
            fc.property(emptyWindow, anyWindow, (empty, other) => {
                assert.equal(windowsOverlap(empty, other), false, `${empty.text} vs ${other.text}`);
            }),
        );
    });

    it("does not change when both weekly windows are shifted round the week", () => {
        fc.assert(
            fc.property(weekly, weekly, minuteOfWeek, (a, b, by) => {
                assert.equal(windowsOverlap(shiftWeekly(a, by), shiftWeekly(b, by)), windowsOverlap(a, b));
            }),
        );
    });

    it("does not change when both daily windows are shifted round the day", () => {
        fc.assert(
            fc.property(daily, daily, minuteOfDay, (a, b, by) => {
                assert.equal(windowsOverlap(shiftDaily(a, by), shiftDaily(b, by)), windowsOverlap(a, b));
            }),
        );
    });

    it("does not change when a weekly window moves by whole days against a daily one", () => {
        fc.assert(
            fc.property(weekly, daily, fc.integer({ min: 1, max: 6 }), (w, d, days) => {
                assert.equal(windowsOverlap(shiftWeekly(w, days * DAY), d), windowsOverlap(w, d));
            }),
        );
    });
});
