/**
 * Which image the bastion runs (`bastionAmiId`): what a routine `pulumi up` may replace. Pure, like the rest of
 * the config layer (index.ts calls `readBastionImage`).
 */
import type { Reader } from "./reader";

/**
 * Which image the bastion runs. Each `@default` is what the Pulumi.yaml defaults validate to
 * (test/unit/component-docs.test.ts checks it).
 */
export interface BastionImageConfig {
    /**
     * A pinned AMI (`bastionAmiId`): the bastion runs exactly this image and a new pin replaces it (the
     * deliberate upgrade). None: the image is resolved once from AL2023's "latest" SSM parameter and a later
     * release never replaces the running bastion (the instance ignores changes to `ami`).
     * @default undefined
     * @example "ami-0123456789abcdef0"
     */
    readonly amiId?: string;
}

const AMI_ID = /^ami-[0-9a-f]{8,17}$/;

export function readBastionImage(r: Reader): BastionImageConfig {
    return { amiId: r.optional("bastionAmiId", AMI_ID, "must be an AMI id such as ami-0123456789abcdef0") };
}
