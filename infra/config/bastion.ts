/** The bastion's keys: instance, SSH access and the redis-cli pin. Pure. */
import { instanceArchitecture, parseCidr, worldCoverage } from "../../policy/shared";
import type { Reader } from "./reader";
import {
    DEFAULT_REDIS_CLI_SHA256,
    DEFAULT_REDIS_CLI_VERSION,
    defaultRedisCliSourceUrl,
    redisCliSourceUrlProblem,
    redisCliVersionProblem,
    sha256Problem,
} from "./redis-cli";

/**
 * The bastion's settings. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface BastionConfig {
    /**
     * Instance type (`bastionInstanceType`); the default is the free tier's.
     * @default "t3.micro"
     * @example "t4g.micro"
     */
    readonly instanceType: string;
    /**
     * CPU architecture of the AMI, derived from the instance type (`arm64` for Graviton).
     * @default "x86_64"
     * @example "arm64"
     */
    readonly architecture: "x86_64" | "arm64";
    /**
     * EC2 key pair for SSH (`bastionKeyName`); Session Manager needs none.
     * @default undefined
     * @example "ops-laptop"
     */
    readonly keyName?: string;
    /**
     * CIDRs allowed to reach port 22 (`sshAllowedCidrs`); none means no inbound rule at all.
     * @default []
     * @example ["203.0.113.7/32", "2001:db8::/48"]
     */
    readonly sshAllowedCidrs: string[];
    /**
     * Redis release whose redis-cli the bastion builds (`redisCliVersion`).
     * @default "7.2.15"
     * @example "7.2.14"
     */
    readonly redisCliVersion: string;
    /**
     * HTTPS URL of the source tarball (`redisCliSourceUrl`; empty means download.redis.io's).
     * @default "https://download.redis.io/releases/redis-7.2.15.tar.gz"
     * @example "https://mirror.example.com/redis-7.2.14.tar.gz"
     */
    readonly redisCliSourceUrl: string;
    /**
     * SHA-256 of the tarball, verified before anything in it runs (`redisCliSha256`).
     * @default "7bf7975331511fdb788e85dae63964b128fccee1df026a10db57444babc9c9c4"
     * @example "<64 hex digits from github.com/redis/redis-hashes>"
     */
    readonly redisCliSha256: string;
}

const PATTERNS = {
    instanceType: /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
    keyName: /^[\x20-\x7e]{1,255}$/,
};

export function readBastion(r: Reader): BastionConfig {
    const instanceType = r.string("bastionInstanceType");
    if (!PATTERNS.instanceType.test(instanceType)) {
        r.fail("bastionInstanceType", instanceType, "must be an EC2 instance type such as t3.micro");
    }
    const keyName = r.optional(
        "bastionKeyName",
        PATTERNS.keyName,
        "must be an EC2 key pair name (1-255 printable ASCII characters)",
    );
    return {
        instanceType,
        architecture: instanceArchitecture(instanceType),
        keyName,
        sshAllowedCidrs: readSshAllowedCidrs(r),
        ...readRedisCliPin(r),
    };
}

/** Each item a CIDR, and together not the whole internet of either family (however it is split up). */
function readSshAllowedCidrs(r: Reader): string[] {
    const cidrs = r.list("sshAllowedCidrs");
    for (const cidr of cidrs.filter((c) => parseCidr(c) === undefined)) {
        r.fail("sshAllowedCidrs", cidr, "items must be IPv4 or IPv6 CIDRs such as 203.0.113.7/32");
    }
    for (const world of worldCoverage(cidrs)) {
        r.fail(
            "sshAllowedCidrs",
            world.cidrs.length === 1 ? world.cidrs[0] : world.cidrs,
            `must not open SSH to the whole internet${world.cidrs.length === 1 ? "" : ` (together these cover all of ${world.family})`}; list your own addresses, or use Session Manager (no SSH needed)`,
        );
    }
    return cidrs;
}

function readRedisCliPin(r: Reader): Pick<BastionConfig, "redisCliVersion" | "redisCliSourceUrl" | "redisCliSha256"> {
    const redisCliVersion = r.string("redisCliVersion");
    const versionProblem = redisCliVersionProblem(redisCliVersion);
    if (versionProblem) {
        r.fail("redisCliVersion", redisCliVersion, versionProblem);
    }
    const sourceUrlText = r.string("redisCliSourceUrl");
    // The default URL is built from the version: with a bad version, only the version is reported.
    const redisCliSourceUrl =
        sourceUrlText === "" && !versionProblem ? defaultRedisCliSourceUrl(redisCliVersion) : sourceUrlText;
    const urlProblem = sourceUrlText === "" ? undefined : redisCliSourceUrlProblem(sourceUrlText);
    if (urlProblem) {
        // Reader.fail masks the URL's credentials (maskSecrets).
        r.fail("redisCliSourceUrl", sourceUrlText, urlProblem);
    }
    const shaText = r.string("redisCliSha256").toLowerCase();
    let redisCliSha256 = shaText;
    if (shaText === "") {
        if (redisCliVersion === DEFAULT_REDIS_CLI_VERSION && sourceUrlText === "") {
            redisCliSha256 = DEFAULT_REDIS_CLI_SHA256;
        } else {
            r.fail(
                "redisCliSha256",
                "",
                `must be set to the tarball's SHA-256 when redisCliVersion or redisCliSourceUrl differ from the default (only ${DEFAULT_REDIS_CLI_VERSION} from download.redis.io has a built-in hash; see github.com/redis/redis-hashes)`,
            );
        }
    } else {
        const shaProblem = sha256Problem(shaText);
        if (shaProblem) {
            r.fail("redisCliSha256", shaText, shaProblem);
        }
    }
    return { redisCliVersion, redisCliSourceUrl, redisCliSha256 };
}
