// ElastiCache maintenance and snapshot window arithmetic. Pure: no Pulumi imports, so that the
// Pulumi program's config validation (infra/config.ts) and the policy pack share one implementation.
//
// Formats (UTC): maintenance "ddd:hh24:mi-ddd:hh24:mi" (weekly), snapshot "hh24:mi-hh24:mi" (daily).
// Windows are half-open [start, end): a window ending at 04:00 does not overlap one starting at 04:00.

export const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
export type Day = (typeof DAYS)[number];

export const MINUTES_PER_DAY = 24 * 60;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

/** AWS rejects windows shorter than this (both kinds). */
export const MIN_WINDOW_MINUTES = 60;

/** A weekly window: minutes since Sunday 00:00 UTC; `end` may be smaller than `start` (wraps past Saturday). */
export interface WeeklyWindow {
    readonly kind: "weekly";
    readonly text: string;
    readonly start: number;
    readonly end: number;
}

/** A daily window: minutes since 00:00 UTC; `end` may be smaller than `start` (wraps past midnight). */
export interface DailyWindow {
    readonly kind: "daily";
    readonly text: string;
    readonly start: number;
    readonly end: number;
}

export type Window = WeeklyWindow | DailyWindow;

export class WindowFormatError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "WindowFormatError";
    }
}

const TIME = "([0-9]{2}):([0-9]{2})";
const DAILY_RE = new RegExp(`^${TIME}-${TIME}$`);
const WEEKLY_RE = new RegExp(`^([A-Za-z]{3}):${TIME}-([A-Za-z]{3}):${TIME}$`);

function minutesOf(text: string, hh: string, mi: string): number {
    const h = Number(hh);
    const m = Number(mi);
    if (h > 23 || m > 59) {
        throw new WindowFormatError(`"${text}": ${hh}:${mi} is not a time of day (hours 00-23, minutes 00-59)`);
    }
    return h * 60 + m;
}

function dayIndex(text: string, day: string): number {
    const i = DAYS.indexOf(day.toLowerCase() as Day);
    if (i < 0) {
        throw new WindowFormatError(`"${text}": "${day}" is not a day; use one of ${DAYS.join(", ")}`);
    }
    return i;
}

/** Parses a daily snapshot window "hh24:mi-hh24:mi". Throws WindowFormatError naming the problem. */
export function parseDailyWindow(text: string): DailyWindow {
    const m = DAILY_RE.exec(text);
    if (!m) {
        throw new WindowFormatError(
            `"${text}" is not a daily window; expected hh24:mi-hh24:mi (UTC), e.g. 03:00-04:00`,
        );
    }
    return { kind: "daily", text, start: minutesOf(text, m[1], m[2]), end: minutesOf(text, m[3], m[4]) };
}

/** Parses a weekly maintenance window "ddd:hh24:mi-ddd:hh24:mi". Throws WindowFormatError naming the problem. */
export function parseWeeklyWindow(text: string): WeeklyWindow {
    const m = WEEKLY_RE.exec(text);
    if (!m) {
        throw new WindowFormatError(
            `"${text}" is not a weekly window; expected ddd:hh24:mi-ddd:hh24:mi (UTC), e.g. mon:00:00-mon:01:00`,
        );
    }
    const start = dayIndex(text, m[1]) * MINUTES_PER_DAY + minutesOf(text, m[2], m[3]);
    const end = dayIndex(text, m[4]) * MINUTES_PER_DAY + minutesOf(text, m[5], m[6]);
    return { kind: "weekly", text, start, end };
}

function period(w: Window): number {
    return w.kind === "weekly" ? MINUTES_PER_WEEK : MINUTES_PER_DAY;
}

function mod(a: number, n: number): number {
    return ((a % n) + n) % n;
}

/**
 * Length in minutes, wrapping past midnight (daily) or past Saturday (weekly). Equal start and end
 * give 0: AWS reads such a window as empty, not as a full day or week.
 */
export function durationMinutes(w: Window): number {
    return mod(w.end - w.start, period(w));
}

/** Half-open circular intervals [aStart, aStart+aLen) and [bStart, bStart+bLen) on a circle of `p` minutes. */
function circularOverlap(aStart: number, aLen: number, bStart: number, bLen: number, p: number): boolean {
    if (aLen <= 0 || bLen <= 0) {
        return false;
    }
    return mod(bStart - aStart, p) < aLen || mod(aStart - bStart, p) < bLen;
}

/**
 * Whether two windows share at least one minute. A daily window recurs every day of the week, so
 * against a weekly window it is checked on each of the 7 days (including a daily window that wraps
 * midnight into the next day, and a weekly window that wraps from Saturday into Sunday).
 */
export function windowsOverlap(a: Window, b: Window): boolean {
    if (a.kind === "daily" && b.kind === "daily") {
        return circularOverlap(a.start, durationMinutes(a), b.start, durationMinutes(b), MINUTES_PER_DAY);
    }
    const weekly = a.kind === "weekly" ? a : (b as WeeklyWindow);
    const other = a.kind === "weekly" ? b : a;
    if (other.kind === "weekly") {
        return circularOverlap(
            weekly.start,
            durationMinutes(weekly),
            other.start,
            durationMinutes(other),
            MINUTES_PER_WEEK,
        );
    }
    for (let day = 0; day < 7; day++) {
        if (
            circularOverlap(
                weekly.start,
                durationMinutes(weekly),
                day * MINUTES_PER_DAY + other.start,
                durationMinutes(other),
                MINUTES_PER_WEEK,
            )
        ) {
            return true;
        }
    }
    return false;
}

export interface WindowRules {
    /** Shortest allowed window, both kinds. Default 60 (AWS's minimum). */
    minMinutes?: number;
    /** Longest allowed maintenance window. Default 1440 (24 hours). */
    maxMaintenanceMinutes?: number;
}

export interface WindowProblem {
    /** Which input is wrong: "maintenanceWindow", "snapshotWindow", or both for an overlap. */
    readonly field: "maintenanceWindow" | "snapshotWindow" | "maintenanceWindow+snapshotWindow";
    readonly message: string;
}

function formatMinutes(n: number): string {
    return n % 60 === 0 ? `${n / 60} h` : `${n} min`;
}

/**
 * Checks the pair of windows as ElastiCache does at deploy time: each well formed, each at least
 * `minMinutes` long, the maintenance window at most `maxMaintenanceMinutes`, and no overlap.
 * Absent windows are fine (AWS picks them). Returns [] when everything is valid.
 */
export function checkWindows(
    windows: { maintenanceWindow?: string; snapshotWindow?: string },
    rules: WindowRules = {},
): WindowProblem[] {
    const minMinutes = rules.minMinutes ?? MIN_WINDOW_MINUTES;
    const maxMaintenance = rules.maxMaintenanceMinutes ?? MINUTES_PER_DAY;
    const problems: WindowProblem[] = [];
    let maintenance: WeeklyWindow | undefined;
    let snapshot: DailyWindow | undefined;

    if (windows.maintenanceWindow !== undefined) {
        try {
            maintenance = parseWeeklyWindow(windows.maintenanceWindow);
        } catch (e) {
            problems.push({ field: "maintenanceWindow", message: (e as Error).message });
        }
    }
    if (windows.snapshotWindow !== undefined) {
        try {
            snapshot = parseDailyWindow(windows.snapshotWindow);
        } catch (e) {
            problems.push({ field: "snapshotWindow", message: (e as Error).message });
        }
    }
    if (maintenance) {
        const d = durationMinutes(maintenance);
        if (d < minMinutes) {
            problems.push({
                field: "maintenanceWindow",
                message: `"${maintenance.text}" lasts ${formatMinutes(d)}; it must last at least ${formatMinutes(minMinutes)}`,
            });
        } else if (d > maxMaintenance) {
            problems.push({
                field: "maintenanceWindow",
                message: `"${maintenance.text}" lasts ${formatMinutes(d)}; it must last at most ${formatMinutes(maxMaintenance)}`,
            });
        }
    }
    if (snapshot) {
        const d = durationMinutes(snapshot);
        if (d < minMinutes) {
            problems.push({
                field: "snapshotWindow",
                message: `"${snapshot.text}" lasts ${formatMinutes(d)}; it must last at least ${formatMinutes(minMinutes)}`,
            });
        }
    }
    if (maintenance && snapshot && windowsOverlap(maintenance, snapshot)) {
        problems.push({
            field: "maintenanceWindow+snapshotWindow",
            message:
                `snapshot window "${snapshot.text}" overlaps maintenance window "${maintenance.text}" ` +
                `(AWS rejects this at deploy time); move one of them`,
        });
    }
    return problems;
}
