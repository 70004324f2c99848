// Window checks at their exact edges, with whole results written out.

import { strict as assert } from "assert";
import { WindowFormatError, checkWindows, parseDailyWindow, parseWeeklyWindow } from "../../policy/shared/windows";

describe("window boundaries", () => {
    it("takes a maintenance window of exactly the maximum and refuses one minute more", () => {
        assert.deepEqual(checkWindows({ maintenanceWindow: "mon:00:00-tue:00:00" }), []);
        assert.deepEqual(
            checkWindows({ maintenanceWindow: "mon:00:00-mon:02:00" }, { maxMaintenanceMinutes: 120 }),
            [],
        );
        assert.deepEqual(checkWindows({ maintenanceWindow: "mon:00:00-mon:02:01" }, { maxMaintenanceMinutes: 120 }), [
            {
                field: "maintenanceWindow",
                message: '"mon:00:00-mon:02:01" lasts 121 min; it must last at most 2 h',
            },
        ]);
    });

    it("finds the overlap of windows wrapping midnight and the week, and its absence an hour later", () => {
        assert.deepEqual(
            checkWindows({ maintenanceWindow: "sat:23:30-sun:00:30", snapshotWindow: "23:30-00:30" }, {}),
            [
                {
                    field: "maintenanceWindow+snapshotWindow",
                    message:
                        'snapshot window "23:30-00:30" overlaps maintenance window "sat:23:30-sun:00:30" ' +
                        "(AWS rejects this at deploy time); move one of them",
                },
            ],
        );
        assert.deepEqual(checkWindows({ maintenanceWindow: "sat:23:30-sun:00:30", snapshotWindow: "01:00-02:00" }), []);
    });

    it("reports a malformed window once, as a WindowFormatError's message", () => {
        assert.throws(
            () => parseDailyWindow("3:00-4:00"),
            (e: Error) => e instanceof WindowFormatError && e.name === "WindowFormatError",
        );
        assert.deepEqual(checkWindows({ snapshotWindow: "24:00-01:00" }), [
            {
                field: "snapshotWindow",
                message: '"24:00-01:00": 24:00 is not a time of day (hours 00-23, minutes 00-59)',
            },
        ]);
    });

    it("refuses valid windows with junk before or after", () => {
        for (const bad of ["x03:00-04:00", "03:00-04:00x", " 03:00-04:00"]) {
            assert.throws(() => parseDailyWindow(bad), WindowFormatError, bad);
        }
        for (const bad of ["xmon:00:00-mon:01:00", "mon:00:00-mon:01:00x", "mon:00:00-mon:01:00 "]) {
            assert.throws(() => parseWeeklyWindow(bad), WindowFormatError, bad);
        }
    });

    it("labels each parsed window with its kind and text", () => {
        assert.deepEqual(parseDailyWindow("03:00-04:00"), { kind: "daily", text: "03:00-04:00", start: 180, end: 240 });
        assert.deepEqual(parseWeeklyWindow("Mon:00:00-mon:01:00"), {
            kind: "weekly",
            text: "Mon:00:00-mon:01:00",
            start: 1440,
            end: 1500,
        });
    });
});
