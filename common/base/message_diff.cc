#include "common/base/message_diff.h"

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"

namespace jiangan {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

bool IsSet(const Message& message, const FieldDescriptor* field) {
  const auto* reflection = message.GetReflection();
  return field->is_repeated() ? reflection->FieldSize(message, field) > 0
                              : reflection->HasField(message, field);
}

std::string DeterministicBytes(const Message& message) {
  std::string bytes;
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
  return bytes;
}

}  // namespace

std::vector<const FieldDescriptor*> ChangedFields(
    const Message& before, const Message& after,
    const absl::flat_hash_set<std::string>& ignored) {
  // Each field is moved out of a copy into an empty message and compared as
  // bytes: one copy per version, not one per field.
  std::unique_ptr<Message> rest_before(before.New()), rest_after(after.New());
  rest_before->CopyFrom(before);
  rest_after->CopyFrom(after);
  std::vector<const FieldDescriptor*> changed;
  const auto* descriptor = before.GetDescriptor();
  const auto* reflection = before.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (ignored.contains(field->name())) continue;
    const bool in_before = IsSet(before, field), in_after = IsSet(after, field);
    if (!in_before && !in_after) continue;
    if (in_before != in_after) {
      changed.push_back(field);
      continue;
    }
    std::unique_ptr<Message> old_only(before.New()), new_only(after.New());
    reflection->SwapFields(rest_before.get(), old_only.get(), {field});
    reflection->SwapFields(rest_after.get(), new_only.get(), {field});
    if (DeterministicBytes(*old_only) != DeterministicBytes(*new_only)) changed.push_back(field);
  }
  return changed;
}

std::unique_ptr<Message> KeepOnly(const Message& source,
                                  const std::vector<const FieldDescriptor*>& fields) {
  std::unique_ptr<Message> rest(source.New()), only(source.New());
  rest->CopyFrom(source);
  source.GetReflection()->SwapFields(rest.get(), only.get(), fields);
  return only;
}

std::string FieldAsJson(const Message& source, const FieldDescriptor* field) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  (void)google::protobuf::util::MessageToJsonString(*KeepOnly(source, {field}), &json, options);
  return json;
}

}  // namespace jiangan
