// Text escaped for the medium it is shown in (issue #20): resource names, policy messages and config values are
// not ours to trust. On a terminal (or a CI log) a control character could move the cursor, clear the screen,
// set the window title or print a hyperlink (ESC, CSI, OSC; C1 controls are 8-bit forms of the same), and bidi
// controls could reorder what is read; in markdown a name could close a code fence or a table cell and render
// HTML and links in a pull request.

/** C0 and C1 controls, DEL, line and paragraph separators, and the bidi controls (Trojan Source, CVE-2021-42574). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, newline and tab included
const CONTROLS_AND_LINES = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

const escapeOne = (c: string): string => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/**
 * Control characters (terminal escapes, NUL, CR, bidi controls...) as \xNN or \uNNNN; newlines and tabs stay
 * unless `oneLine`, for a name that must not start a line of its own.
 */
export function escapeControl(text: string, oneLine = false): string {
    return text.replace(oneLine ? CONTROLS_AND_LINES : CONTROLS, escapeOne);
}

/**
 * Text for a GitHub-flavoured markdown table cell: controls escaped, HTML as entities, every markdown punctuation
 * that could start a link, image, code span, emphasis or strike-through backslash-escaped, `|` kept in the cell, lines as <br>.
 */
export function markdownCell(text: string): string {
    return escapeControl(text.replace(/\r?\n/g, "\n"))
        .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/\n/g, "<br>");
}

/** The longest run of backticks in `text`. */
function longestBacktickRun(text: string): number {
    return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}

/**
 * A code span for a table cell: a delimiter longer than any backtick run inside (CommonMark), so nothing in the
 * text ends it; one line; `|` escaped, which GFM tables need even inside code spans.
 */
export function markdownCode(text: string): string {
    const inner = escapeControl(text, true).replace(/\|/g, "\\|");
    const fence = "`".repeat(longestBacktickRun(inner) + 1);
    const pad = inner.startsWith("`") || inner.endsWith("`") ? " " : "";
    return `${fence}${pad}${inner}${pad}${fence}`;
}

/** A fenced code block of `lines`: its fence longer than any backtick run in them, so no line can close it. */
export function markdownFence(lines: readonly string[]): string[] {
    const body = lines.map((l) => escapeControl(l, true));
    const fence = "`".repeat(Math.max(3, longestBacktickRun(body.join("\n")) + 1));
    return [fence, ...body, fence];
}

/**
 * JSON text (JSON.stringify's output) with the controls JSON.stringify leaves raw (DEL, C1, line separators, bidi
 * controls) written as \uNNNN escapes: the same JSON value, safe to print on a terminal. They can only occur
 * inside strings, where the escape means the same character.
 */
export function jsonText(json: string): string {
    return json.replace(
        /[\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    );
}
