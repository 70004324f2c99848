// The provider-check step of the offline check: what a real `pulumi preview` runs before any policy sees a
// resource — the provider's Check (auto-naming, then the schema's validators and CustomizeDiff rules) and the
// engine's own refusal of duplicate URNs. Pure: the checker calls it on each recorded resource between the
// program recorder and the analyzer, and exits 2 on any problem. Coverage: README.md next to this file.

import { withApiModelChecks } from "./api-model";
import { type AutonamingConfig, autoName, randomSuffix, type SuffixSource } from "./autoname";
import { CONFIGURE_CHECKS } from "./configure";
import { EC2_CHECKS } from "./ec2";
import { ELASTICACHE_CHECKS } from "./elasticache";
import { ELASTICACHE_RBAC_CHECKS, RbacRegistry } from "./elasticache-rbac";
import { IAM_CHECKS } from "./iam";
import { KMS_CHECKS } from "./kms";
import { LOGS_CHECKS } from "./logs";
import { RANDOM_CHECKS } from "./random";
import { SSM_CHECKS } from "./ssm";
import { maskSecrets } from "../../../policy/shared";
import { secretStrings } from "../recorder/recording";
import { type CheckFailure, type Inputs } from "./values";

export {
    autoName,
    AUTO_NAMES,
    type AutonamingConfig,
    type AutonamingContext,
    parseAutonamingConfig,
    randomSuffix,
    seededSuffix,
    type SuffixSource,
} from "./autoname";
export type { CheckFailure } from "./values";
export { plain } from "./values";

/** A recorded registration, as far as the provider sees it (the recorder's RecordedResource fits). */
export interface CheckedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** Wire form: unknowns as the UNKNOWN sentinel, secrets wrapped. */
    readonly inputs: Inputs;
}

export interface ProviderProblem extends CheckFailure {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    /** The line a real preview prints for it. */
    readonly message: string;
}

/**
 * Every type whose Check is emulated, each followed by what AWS's API would refuse at `pulumi up` (rules generated
 * from AWS's API models, api-model.ts); other types pass through unchecked (README.md says which).
 */
export const PROVIDER_CHECKS: Readonly<Record<string, (inputs: Inputs) => CheckFailure[]>> = withApiModelChecks({
    ...ELASTICACHE_CHECKS,
    ...ELASTICACHE_RBAC_CHECKS,
    ...EC2_CHECKS,
    ...IAM_CHECKS,
    ...KMS_CHECKS,
    ...SSM_CHECKS,
    ...LOGS_CHECKS,
    ...RANDOM_CHECKS,
});

/**
 * The line a real preview prints: the bridge turns each Check failure into `<reason>. Examine values at
 * '<name>.<path>'.` (pulumi/pulumi-terraform-bridge pkg/tfbridge/provider.go, CheckFailure reasons; it never sets
 * the property), and the engine prefixes `<type> resource '<name>' has a problem: `
 * (pkg/resource/deploy/step_generator.go issueCheckFailures). Callers mask secrets in the finished line
 * (policy/shared maskSecrets).
 */
export function formatProblem(resource: CheckedResource, failure: CheckFailure): string {
    const reason = failure.reason;
    const where = failure.property === "" ? "" : `. Examine values at '${resource.name}.${failure.property}'.`;
    return `${resource.type} resource '${resource.name}' has a problem: ${reason}${where}`;
}

/**
 * Runs the provider's Check on one resource: returns its inputs as the provider would pass them on (auto-named
 * properties filled in) and every problem.
 */
export function checkResource(
    resource: CheckedResource,
    suffix: SuffixSource = randomSuffix(),
    autonaming?: AutonamingConfig,
): { inputs: Inputs; problems: ProviderProblem[] } {
    const named = autoName(resource.type, resource.urn, resource.inputs, suffix, autonaming);
    const check = PROVIDER_CHECKS[resource.type];
    const failures = named.failures.length > 0 ? named.failures : check ? check(named.inputs) : [];
    const problems = failures.map((failure) => ({
        ...failure,
        urn: resource.urn,
        type: resource.type,
        name: resource.name,
        // Masked here, whatever the wording: a reason may quote any input ("got <value>"), secrets included.
        message: maskSecrets(formatProblem(resource, failure), secretStrings(resource.inputs)),
    }));
    return { inputs: named.inputs, problems };
}

/** The problems alone (see checkResource). */
export function providerCheck(resource: CheckedResource, suffix?: SuffixSource): ProviderProblem[] {
    return checkResource(resource, suffix).problems;
}

/**
 * The engine refuses a second registration of a URN (pkg/resource/deploy/step_generator.go with
 * diag.GetDuplicateResourceURNError): e.g. a repeated entry in a list config that the program turns into
 * resources. One line per duplicated URN.
 */
export function findDuplicateUrns(resources: readonly { urn: string }[]): string[] {
    const urns = new DuplicateUrns();
    return resources.flatMap(({ urn }) => urns.add(urn) ?? []);
}

/** Duplicate URNs as the engine meets them, one registration at a time (see findDuplicateUrns). */
export class DuplicateUrns {
    private readonly seen = new Set<string>();
    private readonly reported = new Set<string>();

    has(urn: string): boolean {
        return this.seen.has(urn);
    }

    /** The engine's message when `urn` was registered before (once per URN), else undefined. */
    add(urn: string): string | undefined {
        if (!this.seen.has(urn)) {
            this.seen.add(urn);
            return undefined;
        }
        if (this.reported.has(urn)) {
            return undefined;
        }
        this.reported.add(urn);
        return `Duplicate resource URN '${urn}'; try giving it a unique name`;
    }
}

/** A registration as the stage sees it: custom resources go through their provider's Check, components do not. */
export interface StreamedResource extends CheckedResource {
    readonly custom: boolean;
}

/**
 * The provider-check stage of a run, fed registrations as they stream in (registration order, as the engine
 * steps them): each custom resource goes through its provider's Check (providers themselves are configured: their
 * Configure's region check, configure.ts) and every URN through the engine's duplicate check. `add` returns the resource as the provider passes
 * it on (auto-named), or undefined when it failed: the engine analyzes nothing that failed its Check.
 */
export class ProviderCheckStage {
    private readonly urns = new DuplicateUrns();
    private readonly checked = new Map<string, Inputs>();
    /** Users and user groups seen so far, for AWS's rules that span them (elasticache-rbac.ts). */
    private readonly rbac = new RbacRegistry();
    /** One line per problem, in the order met: the provider's or the engine's message, naming the resource. */
    readonly problems: string[] = [];

    constructor(
        /** The auto-name suffixes, which a stack's second pass reuses (up-pass.ts). */
        readonly suffix: SuffixSource = randomSuffix(),
        /** The stack's `pulumi:autonaming` config (parseAutonamingConfig), if any. */
        private readonly autonaming?: AutonamingConfig,
    ) {}

    add<R extends StreamedResource>(resource: R): R | undefined {
        const registeredBefore = this.urns.has(resource.urn);
        const duplicate = this.urns.add(resource.urn);
        if (duplicate !== undefined) {
            this.problems.push(duplicate);
        }
        if (registeredBefore) {
            return undefined;
        }
        if (resource.type.startsWith("pulumi:providers:")) {
            return this.configure(resource);
        }
        if (!resource.custom) {
            return resource;
        }
        const checked = checkResource(resource, this.suffix, this.autonaming);
        const { inputs } = checked;
        const problems = [
            ...checked.problems,
            ...this.rbac.check(resource.type, inputs).map((failure) => ({ message: formatProblem(resource, failure) })),
        ];
        this.problems.push(...problems.map((p) => p.message));
        if (problems.length > 0) {
            return undefined;
        }
        this.checked.set(resource.urn, inputs);
        return inputs === resource.inputs ? resource : { ...resource, inputs };
    }

    /** A provider's Configure (configure.ts): what it refuses without calling AWS. */
    private configure<R extends StreamedResource>(resource: R): R | undefined {
        const failures = CONFIGURE_CHECKS[resource.type]?.(resource.inputs) ?? [];
        this.problems.push(
            ...failures.map((f) => maskSecrets(formatProblem(resource, f), secretStrings(resource.inputs))),
        );
        return failures.length > 0 ? undefined : resource;
    }

    /** Whether `add` has seen this URN. */
    has(urn: string): boolean {
        return this.urns.has(urn);
    }

    /** The resource with the inputs its Check passed on (the final recording's copy of a streamed one). */
    passedOn<R extends StreamedResource>(resource: R): R {
        const inputs = this.checked.get(resource.urn);
        return inputs === undefined || inputs === resource.inputs ? resource : { ...resource, inputs };
    }
}
