/**
 * The gRPC server reflection protocol as a tool (grpcurl, Evans, Postman) speaks it: one
 * ServerReflectionInfo stream per question, over whatever channel credentials the test gives. The
 * reflection protos are the ones @grpc/reflection ships; nothing here uses the project's code, so a
 * test sees only what a tool that knows nothing but the address would see.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import descriptor from 'protobufjs/ext/descriptor/index.js';

export type ReflectionVersion = 'v1' | 'v1alpha';

type ReflectionRequest =
  | { listServices: string }
  | { fileContainingSymbol: string }
  | { fileByFilename: string };

interface ReflectionResponse {
  readonly listServicesResponse?: { readonly service: readonly { readonly name: string }[] };
  readonly fileDescriptorResponse?: { readonly fileDescriptorProto: readonly Buffer[] };
  readonly errorResponse?: { readonly errorCode: number; readonly errorMessage: string };
}

type ReflectionStream = grpc.ClientDuplexStream<ReflectionRequest, ReflectionResponse>;
type ReflectionClient = grpc.Client & {
  ServerReflectionInfo(options: grpc.CallOptions): ReflectionStream;
};
type ReflectionClientConstructor = new (
  address: string,
  credentials: grpc.ChannelCredentials,
  options: grpc.ChannelOptions,
) => ReflectionClient;

const DEADLINE_MS = 15_000;

function reflectionClientClass(version: ReflectionVersion): ReflectionClientConstructor {
  const packageDir = dirname(createRequire(import.meta.url).resolve('@grpc/reflection/package.json'));
  const file = join(packageDir, 'build', 'proto', 'grpc', 'reflection', version, 'reflection.proto');
  const loaded = grpc.loadPackageDefinition(
    protoLoader.loadSync(file, { longs: String, enums: String, defaults: true, oneofs: true }),
  ) as unknown as {
    grpc: { reflection: Record<ReflectionVersion, { ServerReflection: ReflectionClientConstructor }> };
  };
  return loaded.grpc.reflection[version].ServerReflection;
}

/** A reflection client of one server; `options` carries the TLS name for a general. */
export class Reflection {
  private readonly client: ReflectionClient;

  constructor(
    address: string,
    credentials: grpc.ChannelCredentials,
    options: grpc.ChannelOptions = {},
    version: ReflectionVersion = 'v1',
  ) {
    this.client = new (reflectionClientClass(version))(address, credentials, options);
  }

  /** The full names of the services the server offers. */
  async listServices(): Promise<string[]> {
    const response = await this.ask({ listServices: '*' });
    return (response.listServicesResponse?.service ?? []).map((s) => s.name);
  }

  /** The file that declares `symbol`, then the files it depends on (encoded FileDescriptorProtos). */
  async fileContainingSymbol(symbol: string): Promise<Buffer[]> {
    return files(await this.ask({ fileContainingSymbol: symbol }));
  }

  /** A file by the name another descriptor gave it, as grpcurl asks for dependencies. */
  async fileByFilename(name: string): Promise<Buffer[]> {
    return files(await this.ask({ fileByFilename: name }));
  }

  close(): void {
    this.client.close();
  }

  /** One question on a stream of its own; a refused question (errorResponse) is thrown. */
  private ask(request: ReflectionRequest): Promise<ReflectionResponse> {
    return new Promise((resolve, reject) => {
      const stream = this.client.ServerReflectionInfo({ deadline: Date.now() + DEADLINE_MS });
      let answer: ReflectionResponse | undefined;
      stream.on('data', (response: ReflectionResponse) => {
        answer ??= response;
      });
      stream.on('error', reject);
      stream.on('end', () => {
        if (answer === undefined) reject(new Error(`no answer to ${JSON.stringify(request)}`));
        else if (answer.errorResponse) {
          const { errorCode, errorMessage } = answer.errorResponse;
          reject(new Error(`${JSON.stringify(request)} refused: ${grpc.status[errorCode]} ${errorMessage}`));
        } else resolve(answer);
      });
      stream.write(request);
      stream.end();
    });
  }
}

function files(response: ReflectionResponse): Buffer[] {
  const found = response.fileDescriptorResponse?.fileDescriptorProto;
  if (found === undefined) throw new Error(`expected file descriptors, got ${JSON.stringify(response)}`);
  return [...found];
}

/** The parts of a decoded descriptor (google/protobuf/descriptor.proto) that the tests read. */
export interface FieldProto {
  readonly name: string;
  readonly label: number;
  readonly type: number;
  readonly typeName: string;
}
export interface MessageProto {
  readonly name: string;
  readonly field: readonly FieldProto[];
  readonly nestedType: readonly MessageProto[];
  readonly options?: { readonly mapEntry?: boolean } | null;
}
export interface FileProto {
  readonly name: string;
  readonly package: string;
  readonly dependency: readonly string[];
  readonly messageType: readonly MessageProto[];
  readonly service: readonly { readonly name: string }[];
}

export const decodeFile = (bytes: Uint8Array): FileProto =>
  descriptor.FileDescriptorProto.decode(bytes) as unknown as FileProto;

/** Encoded FileDescriptorProtos as one FileDescriptorSet, what `protoc --descriptor_set_out` writes. */
export function descriptorSet(encoded: readonly Uint8Array[]): Buffer {
  const set = descriptor.FileDescriptorSet.create({ file: encoded.map(decodeFile) });
  return Buffer.from(descriptor.FileDescriptorSet.encode(set).finish());
}

/** A package definition from reflected descriptors alone: what a tool builds its calls from. */
export function packageFromReflection(encoded: readonly Uint8Array[]): grpc.GrpcObject {
  return grpc.loadPackageDefinition(
    protoLoader.loadFileDescriptorSetFromBuffer(descriptorSet(encoded), {
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    }),
  );
}
