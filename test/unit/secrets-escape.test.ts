// The one masking function and the escapes for each medium (policy/shared secrets.ts, escape.ts), by example.
import * as assert from "assert";
import fc from "fast-check";
import { escapeControl, jsonText, markdownCell, markdownCode, markdownFence, maskSecrets } from "../../policy/shared";

describe("maskSecrets", () => {
    it("masks URL userinfo whole, '/', ':' and '@' in the password included", () => {
        assert.strictEqual(
            maskSecrets('got "https://u:p/a@ss@mirror.example/r.tar.gz" and ftp://x@h/'),
            'got "https://[secret]@mirror.example/r.tar.gz" and ftp://[secret]@h/',
        );
        assert.strictEqual(maskSecrets("https://mirror.example/r.tar.gz"), "https://mirror.example/r.tar.gz");
    });

    it("masks every given secret, as is and JSON-quoted, longest first", () => {
        assert.strictEqual(
            maskSecrets('a "x\\"y" x"y b abcd', ['x"y', "abc", "abcd", ""]),
            'a "[secret]" [secret] b [secret]',
        );
    });

    it("no secret survives in any text (property)", () => {
        // Text of digits and spaces around a secret of letters that is not part of the mask itself.
        const text = fc.stringMatching(/^[0-9 ]{0,20}$/);
        const secret = fc.stringMatching(/^[a-z]{1,12}$/).filter((x) => !"[secret]".includes(x));
        fc.assert(
            fc.property(text, secret, text, secret, (before, s, after, other) => {
                const masked = maskSecrets(`${before}${s}${after}${s}${other}`, [s]);
                assert.ok(!masked.includes(s), masked);
            }),
        );
    });
});

describe("escapes for each medium", () => {
    it("terminal: C0, C1, DEL and bidi controls escaped; newlines only when one line is asked", () => {
        assert.strictEqual(escapeControl("a\u001b[2J\u009b\u202e\tb\nc"), "a\\x1b[2J\\x9b\\u202e\tb\nc");
        assert.strictEqual(escapeControl("a\nb\tc", true), "a\\x0ab\\x09c");
    });

    it("markdown: cells escape HTML, links, code and pipes; code spans and fences outlast any backtick run", () => {
        assert.strictEqual(markdownCell("<b>|[x](y)`z`\nw&"), "&lt;b&gt;\\|\\[x\\](y)\\`z\\`<br>w&amp;");
        assert.strictEqual(markdownCode("a``b|c"), "```a``b\\|c```");
        assert.strictEqual(markdownCode("`a"), "`` `a ``");
        assert.deepStrictEqual(markdownFence(["x", "````", "y"]), ["`````", "x", "````", "y", "`````"]);
    });

    it("JSON: the controls JSON.stringify leaves raw are escaped, the value unchanged", () => {
        const value = { name: "a\u009b\u2028\u202eb\u007f" };
        const text = jsonText(JSON.stringify(value));
        assert.doesNotMatch(text, /[\u007f-\u009f\u2028\u202e]/);
        assert.deepStrictEqual(JSON.parse(text), value);
    });
});
