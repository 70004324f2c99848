/**
 * Runs the real program (infra/) under the offline recorder, for a shipped stack or for a throw-away project
 * with the same Pulumi.yaml and a stack file of the test's own, and queries what it registered.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as yaml from "js-yaml";
import * as os from "os";
import * as path from "path";
import { recordProgram } from "../../scripts/offline-check/recorder/program-process";
import {
    type Recording,
    type RecordedResource,
    SECRET_SIG,
    SIG_KEY,
    UNKNOWN,
} from "../../scripts/offline-check/recorder/recording";

export const ROOT = path.resolve(__dirname, "../..");

const recordings = new Map<string, Promise<Recording>>();

/** A shipped stack's recording, made once per test run and shared by every test file that reads it. */
export function recordStack(stack: string): Promise<Recording> {
    let recording = recordings.get(stack);
    if (!recording) {
        recording = recordProgram({ programDir: ROOT, stack });
        recordings.set(stack, recording);
    }
    return recording;
}

/**
 * A project like the repo's, whose `main` is `entry` (default: the real program) and whose stack `test` has
 * the dev stack's values plus `overrides` (short keys).
 */
export function tempProject(overrides: Record<string, unknown>, entry = path.join(ROOT, "infra")): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "redis-stack-test-"));
    const project = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump({ ...project, main: entry }));
    const dev = yaml.load(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8")) as {
        config: Record<string, unknown>;
    };
    const config = {
        ...dev.config,
        ...Object.fromEntries(Object.entries(overrides).map(([k, v]) => [`redis-stack:${k}`, v])),
    };
    fs.writeFileSync(path.join(dir, "Pulumi.test.yaml"), yaml.dump({ config }));
    return dir;
}

export async function recordWith(overrides: Record<string, unknown>): Promise<Recording> {
    const dir = tempProject(overrides);
    try {
        return await recordProgram({ programDir: dir, stack: "test" });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const TYPES = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    internetGateway: "aws:ec2/internetGateway:InternetGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    instance: "aws:ec2/instance:Instance",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
    replicationGroup: "aws:elasticache/replicationGroup:ReplicationGroup",
    cacheSubnetGroup: "aws:elasticache/subnetGroup:SubnetGroup",
    parameterGroup: "aws:elasticache/parameterGroup:ParameterGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    ssmParameter: "aws:ssm/parameter:Parameter",
    randomPassword: "random:index/randomPassword:RandomPassword",
    randomId: "random:index/randomId:RandomId",
    kmsKey: "aws:kms/key:Key",
    metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    snsTopic: "aws:sns/topic:Topic",
    snsSubscription: "aws:sns/topicSubscription:TopicSubscription",
} as const;
export { TYPES, UNKNOWN };

/** Queries over one recording. */
export class Plan {
    constructor(readonly recording: Recording) {}

    all(type: string): RecordedResource[] {
        return this.recording.resources.filter((r) => r.type === type);
    }

    /** The one resource of `type` whose name ends with `suffix`. */
    one(type: string, suffix = ""): RecordedResource {
        const found = this.all(type).filter((r) => r.name.endsWith(suffix));
        assert.strictEqual(
            found.length,
            1,
            `expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`,
        );
        return found[0];
    }

    byUrn(urn: string): RecordedResource {
        const found = this.recording.resources.find((r) => r.urn === urn);
        assert.ok(found, `no resource ${urn}`);
        return found;
    }

    /** The resources an input of `resource` was computed from. */
    dependenciesOf(resource: RecordedResource, key: string): RecordedResource[] {
        return (resource.propertyDependencies[key] ?? []).map((urn) => this.byUrn(urn));
    }

    /** Every resource with an input computed from `target`, and which inputs. */
    usersOf(target: RecordedResource): { resource: RecordedResource; key: string }[] {
        return this.recording.resources.flatMap((resource) =>
            Object.entries(resource.propertyDependencies)
                .filter(([, urns]) => urns.includes(target.urn))
                .map(([key]) => ({ resource, key })),
        );
    }
}

export function isSecret(value: unknown): value is { value: unknown } {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;
}
