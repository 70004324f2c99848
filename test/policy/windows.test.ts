import { strict as assert } from "assert";
import {
    MINUTES_PER_WEEK,
    WindowFormatError,
    checkWindows,
    durationMinutes,
    parseDailyWindow,
    parseWeeklyWindow,
    windowsOverlap,
} from "../../policy/shared/windows";

describe("policy/shared/windows", () => {
    describe("parsing", () => {
        it("parses a weekly window into minutes since Sunday 00:00", () => {
            const w = parseWeeklyWindow("mon:00:00-mon:01:00");
            assert.equal(w.start, 1440);
            assert.equal(w.end, 1500);
        });
        it("accepts upper-case days as AWS does", () => {
            assert.equal(parseWeeklyWindow("SAT:23:00-SUN:01:00").start, 6 * 1440 + 23 * 60);
        });
        it("parses a daily window", () => {
            const w = parseDailyWindow("03:00-04:30");
            assert.deepEqual([w.start, w.end], [180, 270]);
        });
        for (const bad of ["3:00-4:00", "03:00-04:00 ", "03:00", "mon:03:00-04:00", "24:00-01:00", "03:60-04:00", ""]) {
            it(`refuses daily window ${JSON.stringify(bad)} with a message naming it`, () => {
                assert.throws(
                    () => parseDailyWindow(bad),
                    (e: Error) => e instanceof WindowFormatError && e.message.includes(`"${bad}"`),
                );
            });
        }
        for (const bad of [
            "mon:00:00-mon:01",
            "xyz:00:00-mon:01:00",
            "03:00-04:00",
            "mon:25:00-mon:26:00",
            "monday:00:00-monday:01:00",
        ]) {
            it(`refuses weekly window ${JSON.stringify(bad)}`, () => {
                assert.throws(() => parseWeeklyWindow(bad), WindowFormatError);
            });
        }
        it("names the bad day and the allowed ones", () => {
            assert.throws(
                () => parseWeeklyWindow("xyz:00:00-mon:01:00"),
                /"xyz" is not a day; use one of sun, mon, tue/,
            );
        });
    });

    describe("durations", () => {
        it("measures a plain window", () => assert.equal(durationMinutes(parseDailyWindow("03:00-04:00")), 60));
        it("wraps a daily window past midnight", () =>
            assert.equal(durationMinutes(parseDailyWindow("23:30-00:30")), 60));
        it("wraps a weekly window from Saturday into Sunday", () =>
            assert.equal(durationMinutes(parseWeeklyWindow("sat:23:00-sun:01:00")), 120));
        it("spans days", () => assert.equal(durationMinutes(parseWeeklyWindow("mon:22:00-tue:02:00")), 240));
        it("reads equal start and end as empty, not as a full period", () => {
            assert.equal(durationMinutes(parseDailyWindow("03:00-03:00")), 0);
            assert.equal(durationMinutes(parseWeeklyWindow("mon:03:00-mon:03:00")), 0);
        });
        it("a weekly window ending just before its start is one minute short of a week", () =>
            assert.equal(durationMinutes(parseWeeklyWindow("mon:03:00-mon:02:59")), MINUTES_PER_WEEK - 1));
    });

    describe("overlap of a daily snapshot window with a weekly maintenance window", () => {
        const o = (m: string, s: string) => windowsOverlap(parseWeeklyWindow(m), parseDailyWindow(s));
        it("no overlap at different hours", () => assert.equal(o("mon:00:00-mon:01:00", "03:00-04:00"), false));
        it("overlaps when the daily window hits the weekly one on its day", () =>
            assert.equal(o("wed:03:30-wed:04:30", "03:00-04:00"), true));
        it("touching ends do not overlap (half-open windows)", () => {
            assert.equal(o("mon:00:00-mon:01:00", "01:00-02:00"), false);
            assert.equal(o("mon:01:00-mon:02:00", "00:00-01:00"), false);
        });
        it("a daily window wrapping midnight hits a weekly window early the next day", () =>
            assert.equal(o("tue:00:00-tue:01:00", "23:30-00:30"), true));
        it("a daily window wrapping midnight reaches Sunday 00:00 from Saturday night", () =>
            assert.equal(o("sun:00:00-sun:01:00", "23:00-00:15"), true));
        it("a weekly window wrapping the week hits the daily window on Sunday", () =>
            assert.equal(o("sat:22:00-sun:04:00", "03:00-04:00"), true));
        it("a long maintenance window covering a whole day always overlaps", () =>
            assert.equal(o("mon:00:00-tue:00:00", "12:00-13:00"), true));
        it("is symmetric", () => {
            const m = parseWeeklyWindow("wed:03:30-wed:04:30");
            const s = parseDailyWindow("03:00-04:00");
            assert.equal(windowsOverlap(s, m), windowsOverlap(m, s));
        });
        it("compares two weekly windows on the week circle", () => {
            assert.equal(
                windowsOverlap(parseWeeklyWindow("sat:23:00-sun:01:00"), parseWeeklyWindow("sun:00:30-sun:02:00")),
                true,
            );
            assert.equal(
                windowsOverlap(parseWeeklyWindow("sat:23:00-sun:01:00"), parseWeeklyWindow("sun:01:00-sun:02:00")),
                false,
            );
        });
        it("compares two daily windows on the day circle", () =>
            assert.equal(windowsOverlap(parseDailyWindow("23:00-01:00"), parseDailyWindow("00:30-02:00")), true));
    });

    describe("checkWindows", () => {
        it("accepts the project defaults", () =>
            assert.deepEqual(
                checkWindows({ maintenanceWindow: "mon:00:00-mon:01:00", snapshotWindow: "03:00-04:00" }),
                [],
            ));
        it("accepts absent windows (AWS picks them)", () => assert.deepEqual(checkWindows({}), []));
        it("flags a short snapshot window", () => {
            const p = checkWindows({ snapshotWindow: "03:00-03:30" });
            assert.equal(p.length, 1);
            assert.equal(p[0].field, "snapshotWindow");
            assert.match(p[0].message, /"03:00-03:30" lasts 30 min; it must last at least 1 h/);
        });
        it("flags a short maintenance window", () =>
            assert.equal(checkWindows({ maintenanceWindow: "mon:00:00-mon:00:59" })[0].field, "maintenanceWindow"));
        it("flags a maintenance window over 24 h", () =>
            assert.match(checkWindows({ maintenanceWindow: "mon:00:00-tue:00:01" })[0].message, /at most 24 h/));
        it("flags an overlap with both fields", () => {
            const p = checkWindows({ maintenanceWindow: "mon:03:00-mon:04:00", snapshotWindow: "03:30-04:30" });
            assert.deepEqual(
                p.map((x) => x.field),
                ["maintenanceWindow+snapshotWindow"],
            );
            assert.match(p[0].message, /overlaps/);
        });
        it("reports a malformed window and still checks the other", () => {
            const p = checkWindows({ maintenanceWindow: "monday", snapshotWindow: "03:00-03:10" });
            assert.deepEqual(
                p.map((x) => x.field),
                ["maintenanceWindow", "snapshotWindow"],
            );
        });
        it("honours custom rules", () => {
            assert.equal(checkWindows({ snapshotWindow: "03:00-04:00" }, { minMinutes: 90 }).length, 1);
            assert.equal(
                checkWindows({ maintenanceWindow: "mon:00:00-mon:03:00" }, { maxMaintenanceMinutes: 120 }).length,
                1,
            );
        });
    });
});
