// scripts/pulumi-cli-flags/extract.ts on a small Go sample written the way pulumi/pulumi's pkg/cmd/pulumi declares its
// cobra commands (the shapes seen in v3.259.0: a root with command groups, AddCommand, persistent and local flags,
// VarP with a short name, a Use set after the literal, aliases).
import * as assert from "assert";
import { extractCommands, goFunctions } from "../../scripts/pulumi-cli-flags/extract";

const ROOT = `package pulumi

func NewPulumiCmd() (*cobra.Command, func()) {
	cmd := &cobra.Command{
		Use:   "pulumi",
		Short: "Pulumi command line (see \\"help\\")",
	}
	cmd.PersistentFlags().StringVarP(&cwd, "cwd", "C", "",
		"Run pulumi as if it had been started in another directory")
	cmd.PersistentFlags().BoolVar(&nonInteractive, "non-interactive", false, "Disable interactive mode")
	registerCommands(cmd, []commandGroup{
		{
			Name: "Stack Management Commands",
			Commands: []*cobra.Command{
				config.NewConfigCmd(pkgWorkspace.Instance),
				operations.NewUpCmd(),
			},
		},
	})
	return cmd, cleanup
}
`;

const CONFIG = `package config

func NewConfigCmd(ws pkgWorkspace.Context) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		RunE: func(cmd *cobra.Command, args []string) error {
			return nil
		},
	}
	cmd.Flags().BoolVarP(&jsonOut, "json", "j", false, "Emit output as JSON")
	cmd.PersistentFlags().StringVarP(
		&stack, "stack", "s", "",
		"The name of the stack to operate on. Defaults to the current stack",
	)
	cmd.AddCommand(newConfigSetCmd(ws, &stack))
	cmd.AddCommand(newConfigRemoveCmd(ws, &stack))
	return cmd
}

func newConfigSetCmd(ws pkgWorkspace.Context, stack *string) *cobra.Command {
	setCmd := &cobra.Command{
		Short: "Set configuration value",
	}
	setCmd.Use = "set <key> [flags] [--] [value]"
	setCmd.PersistentFlags().BoolVar(&path, "path", false, "The key contains a path")
	setCmd.PersistentFlags().StringVar(&typ, "type", "", "Save the value as the given type")
	setCmd.Flags().MarkHidden("type")
	return setCmd
}

func newConfigRemoveCmd(ws pkgWorkspace.Context, stack *string) *cobra.Command {
	rmCmd := &cobra.Command{
		Use:     "remove <key>",
		Aliases: []string{"rm", "delete"},
	}
	return rmCmd
}
`;

const UP = `package operations

func NewUpCmd() *cobra.Command {
	var yes bool
	cmd := &cobra.Command{Use: "up [template|url]", Aliases: []string{"update"}}
	cmd.PersistentFlags().BoolVarP(&yes, "yes", "y", false, "Automatically approve")
	cmd.PersistentFlags().StringSliceVar(&policyPackPaths, "policy-pack", []string{}, "Run one or more policy packs")
	cmd.Flags().IntP("parallel", "p", 16, "Allow P resource operations to run in parallel at once")
	return cmd
}
`;

const files = {
    "pkg/cmd/pulumi/pulumi.go": ROOT,
    "pkg/cmd/pulumi/config/config.go": CONFIG,
    "pkg/cmd/pulumi/operations/up.go": UP,
};

describe("scripts/pulumi-cli-flags/extract.ts", () => {
    const commands = extractCommands(files, "NewPulumiCmd");
    const names = (c: string) =>
        commands[c].flags.map((f) => `${f.name}${f.short ? "/" + f.short : ""}${f.value ? "=" : ""}`);

    it("walks the root's command groups and AddCommand, naming each command by its Use", () => {
        assert.deepStrictEqual(Object.keys(commands).sort(), ["", "config", "config remove", "config set", "up"]);
        assert.strictEqual(commands["config set"].source, "pkg/cmd/pulumi/config/config.go#newConfigSetCmd");
        assert.deepStrictEqual(commands["config remove"].aliases, ["rm", "delete"]);
        assert.deepStrictEqual(commands.up.aliases, ["update"]);
    });

    it("gives each command its own flags, its persistent ones and its ancestors' persistent ones, never a sibling's", () => {
        assert.deepStrictEqual(names(""), ["cwd/C=", "non-interactive"]);
        assert.deepStrictEqual(names("config"), ["cwd/C=", "json/j", "non-interactive", "stack/s="]);
        // config's --json is local to config: not inherited by config set.
        assert.deepStrictEqual(names("config set"), ["cwd/C=", "non-interactive", "path", "stack/s=", "type="]);
        assert.deepStrictEqual(names("config remove"), ["cwd/C=", "non-interactive", "stack/s="]);
        assert.deepStrictEqual(names("up"), ["cwd/C=", "non-interactive", "parallel/p=", "policy-pack=", "yes/y"]);
    });

    it("splits a file into its top-level functions and methods", () => {
        assert.deepStrictEqual(
            goFunctions("f.go", "package x\n\nfunc a() {}\n\nfunc (r *T) b(x int) {\n}\n").map((f) => f.name),
            ["a", "b"],
        );
    });
});
