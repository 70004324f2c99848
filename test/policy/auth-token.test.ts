import { strict as assert } from "assert";
import {
    AUTH_TOKEN_SPECIAL_CHARACTERS,
    authTokenProblem,
    authTokenRefusedCharacters,
} from "../../policy/shared/auth-token";

describe("policy/shared/auth-token: AWS's AUTH token rule", () => {
    it("allows letters, digits and exactly the documented specials", () => {
        assert.equal(AUTH_TOKEN_SPECIAL_CHARACTERS, "!&#$^<>-");
        assert.deepEqual(authTokenRefusedCharacters("aZ09!&#$^<>-"), []);
        assert.equal(authTokenProblem(`Aa0${AUTH_TOKEN_SPECIAL_CHARACTERS}${"x".repeat(5)}`), undefined);
    });

    it("names each refused character once, never the token", () => {
        assert.deepEqual(authTokenRefusedCharacters('a@b@c/"d é'), ["@", "/", '"', " ", "é"]);
        const problem = authTokenProblem("secret-token-with@and/in-it");
        assert.equal(problem, "it contains 2 character(s) AWS refuses (allowed: letters, digits and ! & # $ ^ < > -)");
        assert.ok(!problem.includes("secret"));
    });

    it("bounds the length at 16 and 128", () => {
        assert.equal(authTokenProblem("a".repeat(15)), "it has 15 characters; AWS requires 16 to 128");
        assert.equal(authTokenProblem("a".repeat(16)), undefined);
        assert.equal(authTokenProblem("a".repeat(128)), undefined);
        assert.equal(authTokenProblem("a".repeat(129)), "it has 129 characters; AWS requires 16 to 128");
    });
});
