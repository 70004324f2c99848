import { bastionImdsv2Required, bastionRootVolumeEncrypted } from "../../policy/compute";
import { UNKNOWN, assertNotApplicable, assertPass, assertUnknown, assertViolations, runResource } from "./harness";

const EC2 = "aws:ec2/instance:Instance";
const LT = "aws:ec2/launchTemplate:LaunchTemplate";
const WHO = 'aws.ec2.Instance "bastion"';
const LT_WHO = 'aws.ec2.LaunchTemplate "bastion"';

describe("compute policies", () => {
    describe("bastion-imdsv2-required", () => {
        const run = (props: Record<string, unknown>, type = EC2, config?: Record<string, unknown>) =>
            runResource(bastionImdsv2Required, { type, name: "bastion", props, config });
        it("passes httpTokens required, on instances and templates; and a disabled endpoint", async () => {
            assertPass(
                await run({
                    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
                }),
            );
            assertPass(await run({ metadataOptions: { httpTokens: "required" } }, LT));
            assertPass(await run({ metadataOptions: { httpEndpoint: "disabled" } }));
        });
        it("flags optional tokens, unset tokens and unset metadataOptions", async () => {
            assertViolations(
                await run({ metadataOptions: { httpTokens: "optional" } }),
                WHO,
                /httpTokens is "optional"; it must be "required"/,
            );
            assertViolations(await run({ metadataOptions: {} }), WHO, /httpTokens is not set \(IMDSv1 allowed\)/);
            assertViolations(await run({}), WHO, /metadataOptions is not set/);
            assertViolations(await run({}, LT), LT_WHO, /metadataOptions is not set/);
        });
        it("flags a hop limit above maxHopLimit, and follows config", async () => {
            const mo = { metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 2 } };
            assertViolations(await run(mo), WHO, /httpPutResponseHopLimit is 2; at most 1 allowed/);
            assertPass(await run(mo, EC2, { "bastion-imdsv2-required": { maxHopLimit: 2 } }));
        });
        it("defers to the launch template an instance is launched from", async () =>
            assertNotApplicable(await run({ launchTemplate: { id: "lt-1" } }), /launch template/));
        it("unknown: preview advisory", async () => {
            assertUnknown(await run({ metadataOptions: { httpTokens: UNKNOWN.string } }), "metadataOptions.httpTokens");
            assertUnknown(await run({ metadataOptions: UNKNOWN.object }), "metadataOptions");
        });
    });

    describe("bastion-root-volume-encrypted", () => {
        const run = (props: Record<string, unknown>, type = EC2, config?: Record<string, unknown>) =>
            runResource(bastionRootVolumeEncrypted, { type, name: "bastion", props, config });
        it("passes an encrypted root volume (and encrypted extra volumes)", async () => {
            assertPass(await run({ rootBlockDevice: { encrypted: true, volumeSize: 8 } }));
            assertPass(
                await run({
                    rootBlockDevice: { encrypted: true },
                    ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }],
                }),
            );
        });
        it("flags an unset or unencrypted root volume", async () => {
            assertViolations(await run({}), WHO, /rootBlockDevice is not set/);
            assertViolations(
                await run({ rootBlockDevice: { volumeSize: 8 } }),
                WHO,
                /rootBlockDevice\.encrypted is not set \(defaults to false\)/,
            );
            assertViolations(
                await run({ rootBlockDevice: { encrypted: false } }),
                WHO,
                /rootBlockDevice\.encrypted is false/,
            );
        });
        it("flags unencrypted extra EBS volumes unless turned off", async () => {
            const props = { rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ deviceName: "/dev/sdf" }] };
            assertViolations(await run(props), WHO, /ebsBlockDevices\[0\] \(\/dev\/sdf\): encrypted is not set/);
            assertPass(await run(props, EC2, { "bastion-root-volume-encrypted": { checkAdditionalVolumes: false } }));
        });
        it("launch templates: encrypted is a string there", async () => {
            assertPass(
                await run({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }] }, LT),
            );
            assertViolations(
                await run({ blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "false" } }] }, LT),
                LT_WHO,
                /blockDeviceMappings\[0\] \(\/dev\/xvda\) has ebs\.encrypted "false"; it must be "true"/,
            );
            assertViolations(
                await run({}, LT),
                LT_WHO,
                /blockDeviceMappings is not set, so the root volume comes from the AMI unencrypted/,
            );
        });
        it("defers to the launch template an instance is launched from", async () =>
            assertNotApplicable(await run({ launchTemplate: { name: "lt" } }), /launch template/));
        it("unknown: preview advisory", async () => {
            assertUnknown(await run({ rootBlockDevice: { encrypted: UNKNOWN.bool } }), "rootBlockDevice.encrypted");
            assertUnknown(
                await run({ blockDeviceMappings: [{ ebs: { encrypted: UNKNOWN.string } }] }, LT),
                "blockDeviceMappings.0.ebs.encrypted",
            );
        });
    });
});
