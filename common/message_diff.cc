#include "common/message_diff.h"

#include <memory>

#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"

namespace jiangan {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

// A message of `source`'s type holding only `field` of it.
std::unique_ptr<Message> OnlyField(const Message& source, const FieldDescriptor* field) {
  std::unique_ptr<Message> only(source.New());
  std::vector<const FieldDescriptor*> others;
  only->CopyFrom(source);
  only->GetReflection()->ListFields(*only, &others);
  for (const FieldDescriptor* other : others) {
    if (other != field) only->GetReflection()->ClearField(only.get(), other);
  }
  return only;
}

std::string ToJson(const Message& message) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  (void)google::protobuf::util::MessageToJsonString(message, &json, options);
  return json;
}

}  // namespace

std::vector<FieldDifference> DiffMessages(const Message& before, const Message& after,
                                          const absl::flat_hash_set<std::string>& ignored) {
  std::vector<FieldDifference> differences;
  const auto* descriptor = before.GetDescriptor();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (ignored.contains(field->name())) continue;
    std::unique_ptr<Message> old_only = OnlyField(before, field);
    std::unique_ptr<Message> new_only = OnlyField(after, field);
    if (google::protobuf::util::MessageDifferencer::Equals(*old_only, *new_only)) continue;
    differences.push_back({field->name(), ToJson(*old_only), ToJson(*new_only)});
  }
  return differences;
}

}  // namespace jiangan
