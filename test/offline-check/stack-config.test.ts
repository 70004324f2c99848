import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { OfflineCheckError } from "../../scripts/offline-check/offline-check-error";
import {
    MAX_YAML_VALUES,
    expandedValues,
    type Project,
    listStacks,
    loadProject,
    parseProject,
    programEntry,
    validateConfigValue,
} from "../../scripts/offline-check/project/project-file";
import {
    configValueText,
    loadStackConfigValues,
    mergeStackConfig,
} from "../../scripts/offline-check/project/stack-config";

const project = (config: Record<string, unknown>): Project =>
    parseProject({ name: "redis-stack", runtime: "nodejs", config }, "/p");

function throwsCheck(fn: () => unknown, message: RegExp): void {
    assert.throws(fn, (e: unknown) => {
        assert.ok(e instanceof OfflineCheckError, `expected OfflineCheckError, got ${String(e)}`);
        assert.match(e.message, message);
        return true;
    });
}

describe("offline-check/project: Pulumi.yaml", () => {
    it("reads name, runtime options, main and typed config; a bare value is a default for project keys and a value for others", () => {
        const p = parseProject(
            {
                name: "redis-stack",
                runtime: { name: "nodejs", options: { typescript: false } },
                main: "infra/",
                config: {
                    port: 6379,
                    "aws:region": "eu-west-1",
                    size: { type: "string", default: "small", description: "d" },
                },
            },
            "/p",
        );
        assert.strictEqual(p.main, "infra/");
        assert.strictEqual(p.typescript, false);
        assert.deepStrictEqual(p.config.port, { default: 6379 });
        assert.deepStrictEqual(p.config["aws:region"], { value: "eu-west-1" });
        assert.deepStrictEqual(p.config.size, { type: "string", default: "small", description: "d" });
        assert.strictEqual(programEntry(p), path.resolve("/p", "infra/"));
    });

    it("refuses what the CLI's Project.Validate refuses, with its messages", () => {
        throwsCheck(() => parseProject({ runtime: "nodejs" }, "/p"), /missing a 'name'/);
        throwsCheck(
            () => parseProject({ name: "x", runtime: "python" }, "/p"),
            /runtime 'python' is not supported by redis-stack-check \(allowed: nodejs\)/,
        );
        throwsCheck(
            () => project({ n: { type: "integer", default: "many" } }),
            /default value specified for configuration key 'n' is not of the expected type 'integer'/,
        );
        throwsCheck(
            () => project({ l: { type: "array" } }),
            /'l' declares an array but does not specify the underlying type/,
        );
        throwsCheck(
            () => project({ "aws:region": { type: "string", value: "x" } }),
            /not namespaced by the project and should not define a type/,
        );
        throwsCheck(() => project({ "aws:region": { default: "x" } }), /Did you mean to use the 'value' attribute/);
        throwsCheck(() => project({ k: { default: 1, value: 2 } }), /cannot have both a 'default' and 'value'/);
        throwsCheck(
            () => project({ k: { type: "float" } }),
            /type "float" is not one of string, integer, boolean, array, object/,
        );
    });

    it("validates values like the CLI's ValidateConfigValue", () => {
        assert.ok(validateConfigValue("integer", undefined, "42"));
        assert.ok(validateConfigValue("integer", undefined, -3));
        assert.ok(!validateConfigValue("integer", undefined, "4.2"));
        assert.ok(!validateConfigValue("integer", undefined, "sixty"));
        assert.ok(validateConfigValue("boolean", undefined, "true"));
        assert.ok(!validateConfigValue("boolean", undefined, "yes"));
        assert.ok(validateConfigValue("array", { type: "string" }, ["a", "b"]));
        assert.ok(!validateConfigValue("array", { type: "string" }, ["a", 1]));
        assert.ok(!validateConfigValue("array", { type: "string" }, "a,b"));
        assert.ok(validateConfigValue("object", undefined, { a: 1 }));
    });
});

describe("offline-check/project: stack config merge", () => {
    const p = project({
        port: { type: "integer", default: 6379 },
        cidrs: { type: "array", items: { type: "string" }, default: [] },
        tls: { type: "boolean", default: true },
        name: { type: "string" },
        "aws:region": { value: "us-east-1" },
    });

    it("applies project defaults and values under stack values, namespaced, all as strings", () => {
        const c = mergeStackConfig(
            p,
            "dev",
            { config: { name: "x", "redis-stack:port": 7000, "aws:region": "eu-west-1", "random:x": "y" } },
            "f",
        );
        assert.deepStrictEqual(c.config, {
            "aws:region": "eu-west-1",
            "random:x": "y",
            "redis-stack:cidrs": "[]",
            "redis-stack:name": "x",
            "redis-stack:port": "7000",
            "redis-stack:tls": "true",
        });
        const d = mergeStackConfig(p, "dev", { config: { name: "x", cidrs: ["10.0.0.0/8"] } }, "f");
        assert.strictEqual(d.config["aws:region"], "us-east-1");
        assert.strictEqual(d.config["redis-stack:cidrs"], '["10.0.0.0/8"]');
    });

    it("type-checks stack values against the project's types with the CLI's message", () => {
        throwsCheck(
            () => mergeStackConfig(p, "dev", { config: { name: "x", port: "sixty" } }, "f"),
            /^Stack 'dev' with configuration key 'port' must be of type 'integer'$/,
        );
        throwsCheck(
            () => mergeStackConfig(p, "dev", { config: { name: "x", cidrs: "10.0.0.0/8" } }, "f"),
            /key 'cidrs' must be of type 'array<string>'/,
        );
        throwsCheck(
            () => mergeStackConfig(p, "dev", { config: { name: ["x"] } }, "f"),
            /key 'name' must be of type 'string'/,
        );
        throwsCheck(
            () => mergeStackConfig(p, "dev", { config: { name: "x", tls: "yes" } }, "f"),
            /key 'tls' must be of type 'boolean'/,
        );
    });

    it("names missing required keys", () => {
        throwsCheck(
            () => mergeStackConfig(p, "prod", { config: {} }, "f"),
            /^Stack 'prod' is missing configuration value 'name'$/,
        );
        const two = project({ a: { type: "string" }, b: { type: "string" } });
        throwsCheck(() => mergeStackConfig(two, "prod", {}, "f"), /missing configuration values 'a' and 'b'/);
    });

    it("refuses secure: values, naming the key and what to do instead", () => {
        throwsCheck(
            () =>
                mergeStackConfig(
                    p,
                    "dev",
                    { config: { name: "x", "redis-stack:authToken": { secure: "v1:abc" } } },
                    "Pulumi.dev.yaml",
                ),
            /Pulumi\.dev\.yaml: 'redis-stack:authToken' is encrypted \(secure:\) and cannot be decrypted offline; .*non-secret value/,
        );
    });

    it("formats values as the CLI stores them", () => {
        assert.strictEqual(configValueText("a"), "a");
        assert.strictEqual(configValueText(6379), "6379");
        assert.strictEqual(configValueText(false), "false");
        assert.strictEqual(configValueText(1.5), "1.5");
        assert.strictEqual(configValueText({ a: [1] }), '{"a":[1]}');
    });
});

describe("offline-check/project: files", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-project-"));
        fs.writeFileSync(
            path.join(dir, "Pulumi.yaml"),
            "name: demo\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n    default: 1\n",
        );
        fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  demo:size: 2\n");
        fs.writeFileSync(path.join(dir, "Pulumi.prod.yaml"), "config:\n  demo:size: 3\n");
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("loads a project and a stack", () => {
        const p = loadProject(dir);
        assert.deepStrictEqual(listStacks(dir), ["dev", "prod"]);
        assert.deepStrictEqual(loadStackConfigValues(p, "prod").config, { "demo:size": "3" });
    });

    it("refuses a stack file whose YAML aliases expand past the limit, at once and in one line", () => {
        const bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"];
        for (let i = 1; i < 9; i++) {
            bomb.push(
                `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
                    .fill(`*${String.fromCharCode(96 + i)}`)
                    .join(", ")}]`,
            );
        }
        fs.writeFileSync(
            path.join(dir, "Pulumi.bomb.yaml"),
            `config:\n  demo:size: 2\nbomb:\n  ${bomb.join("\n  ")}\n`,
        );
        const started = Date.now();
        throwsCheck(
            () => loadStackConfigValues(loadProject(dir), "bomb"),
            /Pulumi\.bomb\.yaml expands to more than 100,000 values \(nested YAML aliases\?\)/,
        );
        assert.ok(Date.now() - started < 5000, "refused without expanding the aliases");
        fs.rmSync(path.join(dir, "Pulumi.bomb.yaml"));
    });

    it("counts values as a walk sees them, aliases each time, and stops past the limit", () => {
        const shared = [1, 2, 3];
        assert.strictEqual(expandedValues({ a: shared, b: shared }, MAX_YAML_VALUES), 9);
        assert.strictEqual(expandedValues("x", MAX_YAML_VALUES), 1);
        assert.strictEqual(expandedValues(Array(50).fill(shared), 10), 11);
    });

    it("an unknown stack lists the stacks found; a directory without Pulumi.yaml says so", () => {
        throwsCheck(
            () => loadStackConfigValues(loadProject(dir), "qa"),
            /unknown stack 'qa': no Pulumi\.qa\.yaml in .*; stacks found: dev, prod/,
        );
        throwsCheck(() => loadProject(os.tmpdir()), /no Pulumi\.yaml in/);
    });
});
