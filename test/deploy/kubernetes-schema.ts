/**
 * Offline validation of Kubernetes objects against the API's OpenAPI schemas, as shipped by
 * kubernetes-models (Kubernetes 1.3x): required fields, types, integer formats and enums.
 *
 * Those schemas do not forbid unknown fields (the OpenAPI documents have no additionalProperties:
 * false), so a misspelled `subPathExp` would pass them, and the kubelet would then mount a whole
 * Secret instead of one entry. unknownFields closes that gap with the same schemas: it hands the
 * validator a proxy of the object and records which fields the validator looks up at each level
 * (every field its schema knows) and which objects it enumerates (maps such as labels or data, whose
 * keys are free); any other field present is unknown to the API.
 */
import { StatefulSet } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { ConfigMap, Secret, Service } from 'kubernetes-models/v1';

type Validating = { prototype: { validate(): void } } & (new (data: never) => { validate(): void });

const MODELS = new Map<string, Validating>([
  ['v1/ConfigMap', ConfigMap as unknown as Validating],
  ['v1/Secret', Secret as unknown as Validating],
  ['v1/Service', Service as unknown as Validating],
  ['apps/v1/StatefulSet', StatefulSet as unknown as Validating],
  ['batch/v1/Job', Job as unknown as Validating],
]);

interface Typed {
  readonly apiVersion?: unknown;
  readonly kind?: unknown;
}

function modelOf(object: Typed): Validating {
  const model = MODELS.get(`${String(object.apiVersion)}/${String(object.kind)}`);
  if (model === undefined)
    throw new Error(`no schema here for ${String(object.apiVersion)} ${String(object.kind)}`);
  return model;
}

/** What the API schema says is wrong with the object: an empty list when it validates. */
export function schemaProblems(object: Typed): string[] {
  const Model = modelOf(object);
  try {
    new Model(object as never).validate();
    return [];
  } catch (error) {
    return [error instanceof Error ? error.message : String(error)];
  }
}

interface Reads {
  readonly path: string;
  readonly target: object;
  readonly read: Set<string>;
  enumerated: boolean;
}

/** Every field present in the object that its API schema does not know, as a path. */
export function unknownFields(object: Typed): string[] {
  const Model = modelOf(object);
  const reads = new Map<object, Reads>();
  const proxies = new WeakMap<object, object>();
  const watch = (value: unknown, path: string): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    const known = proxies.get(value);
    if (known !== undefined) return known;
    const record: Reads = { path, target: value, read: new Set(), enumerated: false };
    reads.set(value, record);
    const proxy = new Proxy(value, {
      get(target, key, receiver) {
        const child: unknown = Reflect.get(target, key, receiver);
        if (typeof key !== 'string') return child;
        record.read.add(key);
        return watch(child, Array.isArray(target) ? `${path}[${key}]` : `${path}.${key}`);
      },
      ownKeys(target) {
        record.enumerated = true;
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(value, proxy);
    return proxy;
  };
  try {
    Model.prototype.validate.call(watch(object, ''));
  } catch {
    // Schema problems are schemaProblems' to report; here only the fields looked up matter.
  }
  const unknown: string[] = [];
  for (const record of reads.values()) {
    if (Array.isArray(record.target) || record.enumerated) continue;
    for (const key of Object.keys(record.target)) {
      if (!record.read.has(key)) unknown.push(`${record.path}.${key}`);
    }
  }
  return unknown;
}
