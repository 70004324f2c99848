// Output properties created when the program first reads them (lazyOutputProperties), instead of all of them
// when each resource is constructed as the SDK does (@pulumi/pulumi runtime/rpc.js transferProperties).
//
// Why: the SDK gives every custom resource an Output per output property the moment it is constructed: a Proxy,
// about ten closures and a dozen promises each, some 3 KB, and 20 of them for an average AWS resource. A program
// that declares its resources in one synchronous loop holds all of them before any registration can complete
// (20,000 resources: 1.3 GB of live heap), and most are Outputs no code ever reads.
//
// What stays the same: a property read before its registration answers gets a pending Output built exactly as
// transferProperties builds it (the same constructor arguments, settled by the same answer), and one first read
// afterwards gets an Output built from what the registration answered, so whatever reads it sees the same value,
// known-ness, secrecy and dependencies. A registration error still rejects every property's Output (it is created
// then: under the SDK a rejected Output nobody reads is an unhandled rejection that fails the program); an RPC
// error is skipped as the SDK skips it. Assigning the property replaces it, as assigning the SDK's data property
// would. The property is an accessor until first read, then the same enumerable data property as the SDK's.
import type { PropertyResolver, SdkInternals, SdkOutput } from "./sdk-internals";

/** The arguments of the registration's answer for one property (a PropertyResolver call). */
type Answer = Parameters<PropertyResolver>;

/**
 * Where one property stands. None yet: unread and unanswered. An Answer: unread (or replaced) and answered, kept
 * for the first read. A function: read, its Output waiting for the answer it settles. SETTLED: nothing to wait for.
 */
type PropertyState = Answer | PropertyResolver | typeof SETTLED;
const SETTLED = Symbol("settled");

/** Per resource: the states of its output properties that have had a read or an answer. */
interface LazyState {
    readonly resource: object;
    readonly Output: SdkOutput["Output"];
    readonly properties: Map<string, PropertyState>;
}

const states = new WeakMap<object, LazyState>();

/** The state of the resource a property accessor was called on (or, through a prototype, the object inheriting it). */
function stateOf(receiver: object): LazyState {
    for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
        const state = states.get(o);
        if (state) {
            return state;
        }
    }
    throw new Error("an output property accessor was called on an object that is not its resource");
}

function defineValue(resource: object, key: string, value: unknown): void {
    Object.defineProperty(resource, key, { value, writable: true, enumerable: true, configurable: true });
}

/** An Output built as transferProperties builds it, and the function that settles it with an answer. */
function newOutput(state: LazyState): { output: unknown; settle: PropertyResolver } {
    const value = deferred<unknown>();
    const known = deferred<boolean>();
    const secret = deferred<boolean>();
    const deps = deferred<unknown[]>();
    const output = new state.Output(state.resource, value.promise, known.promise, secret.promise, deps.promise);
    const settle: PropertyResolver = (v, isKnown, isSecret, d = [], err) => {
        if (err) {
            for (const p of [value, known, secret, deps]) {
                p.reject(err);
            }
        } else {
            value.resolve(v);
            known.resolve(isKnown);
            secret.resolve(isSecret);
            deps.resolve(d);
        }
    };
    return { output, settle };
}

/** The first read: the property becomes its Output, settled now if the answer came, else when it comes. */
function materialize(state: LazyState, key: string): unknown {
    const { output, settle } = newOutput(state);
    defineValue(state.resource, key, output);
    const current = state.properties.get(key);
    if (Array.isArray(current)) {
        state.properties.set(key, SETTLED);
        settle(...current);
    } else {
        state.properties.set(key, settle);
    }
    return output;
}

// One accessor pair per property name, shared by every resource (they find their resource through `this`): a
// closure per property per resource was a quarter of what a large program held.
const accessors = new Map<string, PropertyDescriptor>();

function accessorFor(key: string): PropertyDescriptor {
    let descriptor = accessors.get(key);
    if (!descriptor) {
        descriptor = {
            get(this: object): unknown {
                return materialize(stateOf(this), key);
            },
            set(this: object, v: unknown): void {
                defineValue(stateOf(this).resource, key, v);
            },
            enumerable: true,
            configurable: true,
        };
        accessors.set(key, descriptor);
    }
    return descriptor;
}

/** The registration's answer for one property; only the first counts, as a promise settles once. */
function answer(state: LazyState, key: string, isGrpcError: (err: unknown) => boolean, a: Answer): void {
    const err = a[4];
    if (err && isGrpcError(err)) {
        return;
    }
    const current = state.properties.get(key);
    if (typeof current === "function") {
        state.properties.set(key, SETTLED);
        current(...a);
        return;
    }
    if (current !== undefined) {
        return;
    }
    const unread = Object.getOwnPropertyDescriptor(state.resource, key)?.get === accessorFor(key).get;
    if (unread) {
        state.properties.set(key, a);
        if (err) {
            // Under the SDK the property's Output rejects now, unhandled unless the program handles it.
            materialize(state, key);
        }
    } else {
        // The program replaced the property before reading it: the SDK's Output is orphaned but still settles,
        // and a rejected one is still an unhandled rejection.
        state.properties.set(key, SETTLED);
        if (err) {
            newOutput(state).settle(...a);
        }
    }
}

/** Replaces the SDK's transferProperties (see the top of this file). */
export function lazyOutputProperties(sdk: SdkInternals): void {
    const { rpc, output, errors } = sdk;
    rpc.transferProperties = (onto, label, props) => {
        const state: LazyState = { resource: onto, Output: output.Output, properties: new Map() };
        const keys: Record<string, true> = Object.create(null) as Record<string, true>;
        for (const k of Object.keys(props)) {
            // The SDK handles "id" and "urn" itself.
            if (k === "id" || k === "urn") {
                continue;
            }
            if (Object.prototype.hasOwnProperty.call(onto, k)) {
                throw new Error(`Property '${k}' is already initialized on target '${label}`);
            }
            Object.defineProperty(onto, k, accessorFor(k));
            keys[k] = true;
        }
        states.set(onto, state);
        // The SDK reads the resolvers with Object.keys and by name (rpc.js resolveProperties): a proxy answers with
        // a function made at that moment, instead of one function kept per property per resource.
        return new Proxy(keys, {
            get: (target, k) =>
                typeof k === "string" && target[k]
                    ? (...a: Answer) => answer(state, k, errors.isGrpcError, a)
                    : undefined,
        }) as unknown as Record<string, PropertyResolver>;
    };
}

interface Deferred<T> {
    promise: Promise<T>;
    resolve: (value: T) => void;
    reject: (err: unknown) => void;
}

function deferred<T>(): Deferred<T> {
    let resolve: (value: T) => void = () => undefined;
    let reject: (err: unknown) => void = () => undefined;
    const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
    });
    return { promise, resolve, reject };
}
