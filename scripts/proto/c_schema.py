#!/usr/bin/env python3
"""The schema protoc-c generates C from: Postern's .proto files with every `string` field made
`bytes`, and Postern's own options taken out.

`string` and `bytes` are the same on the wire, but protobuf-c hands a `string` to C as a
NUL-terminated `char *` and drops its length, so "a\\0b" would reach Swift as "a". As `bytes`
each field keeps its exact length, and the generated Swift validates it (UTF-8, no NUL).
The options (postern/v1/options.proto) only steer the Swift generator; without them protoc-c
needs no C code for google/protobuf/descriptor.proto.

Usage: c_schema.py FULL_DESCRIPTOR_SET OUT_DESCRIPTOR_SET
(FULL: `protoc --include_imports --descriptor_set_out`; OUT: for `protoc-c --descriptor_set_in`.)
"""
import sys

from google.protobuf import descriptor_pb2

OPTIONS_FILE = "postern/v1/options.proto"
STRING = descriptor_pb2.FieldDescriptorProto.TYPE_STRING
BYTES = descriptor_pb2.FieldDescriptorProto.TYPE_BYTES


def strip_message(message):
    for field in message.field:
        if field.type == STRING:
            field.type = BYTES
        field.ClearField("options")
    for nested in message.nested_type:
        strip_message(nested)


def main(source, destination):
    full = descriptor_pb2.FileDescriptorSet.FromString(open(source, "rb").read())
    out = descriptor_pb2.FileDescriptorSet()
    for file in full.file:
        if not file.name.startswith("postern/") or file.name == OPTIONS_FILE:
            continue
        copy = out.file.add()
        copy.CopyFrom(file)
        del copy.dependency[:]
        copy.dependency.extend(d for d in file.dependency if d != OPTIONS_FILE)
        del copy.public_dependency[:]
        del copy.weak_dependency[:]
        for message in copy.message_type:
            strip_message(message)
        for service in copy.service:
            for method in service.method:
                method.ClearField("options")
    open(destination, "wb").write(out.SerializeToString())


if __name__ == "__main__":
    main(*sys.argv[1:])
