// The house style's lint half (prettier is the formatting half): typescript-eslint's recommended rules,
// type-aware where they are cheap, plus the rules that catch sloppy code in this repository.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import globals from "globals";

export default tseslint.config(
    {
        ignores: [
            "node_modules/**",
            "policy/node_modules/**",
            ".stryker-tmp/**",
            "reports/**",
            "coverage/**",
            // A provider SDK's generated declarations, kept in the SDK's own format (scripts/sdk-outputs reads it).
            "test/fixtures/sdk-outputs/**",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    {
        files: ["**/*.ts"],
        languageOptions: {
            // One TypeScript program for every file: the root tsconfig.json includes infra/, policy/, scripts/ and
            // test/. With `projectService` each file got its nearest tsconfig.json, so infra/tsconfig.json and the
            // test fixtures' tsconfigs each built another program over @pulumi/aws's declarations: a third more
            // CPU and memory for the same rules.
            parserOptions: { project: ["./tsconfig.json"], tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            "@typescript-eslint/no-explicit-any": "error",
            "@typescript-eslint/no-unused-vars": [
                "error",
                { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
            ],
            "@typescript-eslint/no-floating-promises": "error",
            "@typescript-eslint/no-misused-promises": "error",
            "@typescript-eslint/await-thenable": "error",
            "@typescript-eslint/no-unnecessary-type-assertion": "error",
            "@typescript-eslint/consistent-type-imports": [
                "error",
                { fixStyle: "inline-type-imports", disallowTypeAnnotations: false },
            ],
            eqeqeq: ["error", "always", { null: "ignore" }],
            "no-var": "error",
            "prefer-const": "error",
        },
    },
    {
        files: ["**/*.js", "**/*.mjs"],
        languageOptions: {
            sourceType: "commonjs",
            globals: globals.node,
        },
        rules: { "@typescript-eslint/no-require-imports": "off" },
    },
);
