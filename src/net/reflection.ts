import { createRequire } from 'node:module';
import type * as grpc from '@grpc/grpc-js';
import type {
  AnyDefinition,
  EnumTypeDefinition,
  MessageTypeDefinition,
  PackageDefinition,
} from '@grpc/proto-loader';
import type * as Reflection from '@grpc/reflection';
import type Descriptor from 'protobufjs/ext/descriptor/index.js';

/** Loaded on the first reflection call, not at start (both are CommonJS, so require serves). */
const require = createRequire(import.meta.url);
const reflectionPackage = () => require('@grpc/reflection') as typeof Reflection;
const descriptorTypes = () => require('protobufjs/ext/descriptor/index.js') as typeof Descriptor;

/** The parts of google.protobuf.DescriptorProto that naming a map entry touches. */
interface FieldProto {
  name: string;
  label: number;
  type: number;
  typeName: string;
}
interface MessageProto {
  name: string;
  field: FieldProto[];
  nestedType: MessageProto[];
  options?: { mapEntry?: boolean } | null;
}

const LABEL_REPEATED = 3;
const TYPE_MESSAGE = 11;

/** protoc's name for the entry type of map field `field`: statuses -> StatusesEntry, foo_bar -> FooBarEntry. */
export function mapEntryName(field: string): string {
  const words = field.split('_').filter((word) => word !== '');
  return `${words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join('')}Entry`;
}

/** Renames the map entry types in `message` and below to protoc's names; true if any changed. */
function nameMapEntries(message: MessageProto): boolean {
  let changed = false;
  for (const nested of message.nestedType) {
    changed = nameMapEntries(nested) || changed;
    if (nested.options?.mapEntry !== true) continue;
    const field = message.field.find(
      (f) =>
        f.label === LABEL_REPEATED &&
        f.type === TYPE_MESSAGE &&
        (f.typeName === nested.name || f.typeName.endsWith(`.${nested.name}`)),
    );
    if (field === undefined) continue;
    const name = mapEntryName(field.name);
    if (nested.name === name) continue;
    field.typeName = `${field.typeName.slice(0, -nested.name.length)}${name}`;
    nested.name = name;
    changed = true;
  }
  return changed;
}

/** One encoded FileDescriptorProto with protoc's map entry names (the same bytes when nothing changes). */
function withProtocMapEntries(encoded: Buffer): Buffer {
  const descriptor = descriptorTypes();
  const file = descriptor.FileDescriptorProto.decode(encoded) as unknown as { messageType: MessageProto[] };
  let changed = false;
  for (const message of file.messageType) changed = nameMapEntries(message) || changed;
  if (!changed) return encoded;
  return Buffer.from(
    descriptor.FileDescriptorProto.encode(file as unknown as Descriptor.IFileDescriptorProto).finish(),
  );
}

/** A message or enum definition (which carries the descriptors of its file), not a service. */
const isType = (entry: AnyDefinition): entry is MessageTypeDefinition<object, object> | EnumTypeDefinition =>
  'format' in entry && Array.isArray(entry.fileDescriptorProtos);

/** The two versions of the reflection service's one method, as tools call them. */
export const REFLECTION_METHODS = [
  '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
  '/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo',
] as const;

type ReflectionHandler = (stream: ReflectionStream) => void;
/** What @grpc/reflection's handler uses of its stream: messages in, messages out, the end. */
interface ReflectionStream {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  write(message: unknown): unknown;
  end(): unknown;
}
interface ReflectionMethod {
  readonly handler: ReflectionHandler;
  readonly decode: (bytes: Buffer) => unknown;
  readonly encode: (message: unknown) => Buffer;
}

/** Builds the reflection service and captures, by path, what it would register on a server. */
function reflectionMethods(definition: PackageDefinition): Map<string, ReflectionMethod> {
  const fixed = new Map<string, Buffer>();
  const fix = (encoded: Buffer): Buffer => {
    const key = encoded.toString('base64');
    let out = fixed.get(key);
    if (out === undefined) {
      out = withProtocMapEntries(encoded);
      fixed.set(key, out);
    }
    return out;
  };
  const patched: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    patched[name] = isType(entry)
      ? { ...entry, fileDescriptorProtos: entry.fileDescriptorProtos.map(fix) }
      : entry;
  }
  const methods = new Map<string, ReflectionMethod>();
  const capture = {
    addService(service: grpc.ServiceDefinition, implementation: grpc.UntypedServiceImplementation): void {
      for (const [name, method] of Object.entries(service)) {
        methods.set(method.path, {
          handler: implementation[name] as unknown as ReflectionHandler,
          decode: (bytes) => method.requestDeserialize(bytes),
          encode: (message) => method.responseSerialize(message),
        });
      }
    },
  };
  new (reflectionPackage().ReflectionService)(patched).addToServer(capture as unknown as grpc.Server);
  return methods;
}

/**
 * Server reflection (v1 and v1alpha) over every service in `definition`.
 *
 * protobufjs, which proto-loader uses, names a map field's entry type after the field alone
 * ("Statuses" for grpc.health.v1's `statuses`), where protoc names it "StatusesEntry"; strict
 * readers of descriptors (Go's protodesc, so grpcurl; C++ protobuf) refuse the file. So the
 * descriptors are given protoc's names before the reflection service sees them.
 *
 * Built on the first call, not at start: indexing every descriptor and loading the reflection
 * protos took a sixth of a general's start-up, which every general of a cluster pays at once.
 * Until then the two methods are registered as raw bytes, decoded and encoded for the real
 * handler once it exists.
 */
export function addReflection(server: grpc.Server, definition: PackageDefinition): void {
  let methods: Map<string, ReflectionMethod> | undefined;
  for (const path of REFLECTION_METHODS) {
    const handler: grpc.handleBidiStreamingCall<Buffer, Buffer> = (call) => {
      methods ??= reflectionMethods(definition);
      const method = methods.get(path);
      if (method === undefined) {
        call.destroy(new Error(`no reflection handler for ${path}`));
        return;
      }
      const stream: ReflectionStream = {
        on(event, listener) {
          if (event === 'data') call.on('data', (bytes: Buffer) => listener(method.decode(bytes)));
          else call.on(event, listener);
          return stream;
        },
        write: (message) => call.write(method.encode(message)),
        end: () => call.end(),
      };
      method.handler(stream);
    };
    server.register(
      path,
      handler,
      (bytes: Buffer) => bytes,
      (bytes: Buffer) => bytes,
      'bidi',
    );
  }
}
