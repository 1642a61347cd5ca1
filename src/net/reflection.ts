import type * as grpc from '@grpc/grpc-js';
import type {
  AnyDefinition,
  EnumTypeDefinition,
  MessageTypeDefinition,
  PackageDefinition,
} from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import descriptor from 'protobufjs/ext/descriptor/index.js';

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
  const file = descriptor.FileDescriptorProto.decode(encoded) as unknown as { messageType: MessageProto[] };
  let changed = false;
  for (const message of file.messageType) changed = nameMapEntries(message) || changed;
  if (!changed) return encoded;
  return Buffer.from(
    descriptor.FileDescriptorProto.encode(file as unknown as descriptor.IFileDescriptorProto).finish(),
  );
}

/** A message or enum definition (which carries the descriptors of its file), not a service. */
const isType = (entry: AnyDefinition): entry is MessageTypeDefinition<object, object> | EnumTypeDefinition =>
  'format' in entry && Array.isArray(entry.fileDescriptorProtos);

/**
 * Server reflection (v1 and v1alpha) over every service in `definition`.
 *
 * protobufjs, which proto-loader uses, names a map field's entry type after the field alone
 * ("Statuses" for grpc.health.v1's `statuses`), where protoc names it "StatusesEntry"; strict
 * readers of descriptors (Go's protodesc, so grpcurl; C++ protobuf) refuse the file. So the
 * descriptors are given protoc's names before the reflection service sees them.
 */
export function addReflection(server: grpc.Server, definition: PackageDefinition): void {
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
  new ReflectionService(patched).addToServer(server);
}
