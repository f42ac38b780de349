#include "common/base/field_masks.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/field_mask_util.h"

namespace jiangan {

using google::protobuf::util::FieldMaskUtil;

absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                             const google::protobuf::Descriptor* type,
                             const OutputOnlyFields& output_only) {
  if (mask.paths().empty()) {
    return absl::InvalidArgumentError("update_mask: is required and must name at least one field");
  }
  for (const std::string& path : mask.paths()) {
    const std::string top = path.substr(0, path.find('.'));
    if (output_only.contains(top) || output_only.contains(path)) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is output only and cannot be updated"));
    }
    if (type->FindFieldByName(top) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is not a field of ", type->name()));
    }
    if (!FieldMaskUtil::GetFieldDescriptors(type, path, nullptr)) {
      return absl::InvalidArgumentError(
          absl::StrCat("update_mask: \"", path, "\" is not a field path of ", type->name()));
    }
  }
  return absl::OkStatus();
}

void ClearOutputOnly(const OutputOnlyFields& output_only, google::protobuf::Message* message) {
  for (const std::string& path : output_only) {
    google::protobuf::Message* holder = message;
    const std::vector<std::string> names = absl::StrSplit(path, '.');
    for (size_t i = 0; holder != nullptr && i < names.size(); ++i) {
      const auto* field = holder->GetDescriptor()->FindFieldByName(names[i]);
      if (field == nullptr) break;
      if (i + 1 == names.size()) {
        holder->GetReflection()->ClearField(holder, field);
      } else if (field->message_type() != nullptr && !field->is_repeated() &&
                 holder->GetReflection()->HasField(*holder, field)) {
        holder = holder->GetReflection()->MutableMessage(holder, field);
      } else {
        holder = nullptr;  // nothing set below it
      }
    }
  }
}

void MergeMasked(const google::protobuf::Message& patch, const google::protobuf::FieldMask& mask,
                 google::protobuf::Message* target) {
  FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  FieldMaskUtil::MergeMessageTo(patch, mask, options, target);
}

bool MaskNames(const google::protobuf::FieldMask& mask, absl::string_view path) {
  return std::find(mask.paths().begin(), mask.paths().end(), path) != mask.paths().end();
}

}  // namespace jiangan
