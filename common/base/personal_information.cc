#include "common/base/personal_information.h"

#include "absl/container/flat_hash_set.h"
#include "jiangan/type/v1/personal_information.pb.h"

namespace jiangan {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

bool Marked(const FieldDescriptor* field) {
  return field->options().GetExtension(type::v1::personal_information);
}

bool Carries(const Descriptor* type, absl::flat_hash_set<const Descriptor*>* seen) {
  if (!seen->insert(type).second) return false;
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (Marked(field)) return true;
    if (field->message_type() != nullptr && Carries(field->message_type(), seen)) return true;
  }
  return false;
}

}  // namespace

void RedactPersonalInformation(google::protobuf::Message* message) {
  const Descriptor* type = message->GetDescriptor();
  const auto* reflection = message->GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (Marked(field) && field->type() == FieldDescriptor::TYPE_STRING && !field->is_repeated()) {
      if (!reflection->GetString(*message, field).empty()) {
        reflection->SetString(message, field, kRedacted);
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(*message, field); ++k) {
          RedactPersonalInformation(reflection->MutableRepeatedMessage(message, field, k));
        }
      } else if (reflection->HasField(*message, field)) {
        RedactPersonalInformation(reflection->MutableMessage(message, field));
      }
    }
  }
}

bool CarriesPersonalInformation(const Descriptor* type) {
  absl::flat_hash_set<const Descriptor*> seen;
  return Carries(type, &seen);
}

}  // namespace jiangan
