// AIP-134 updates: which field paths an update mask may name, clearing what
// callers may not set, and merging the masked fields of a patch.
#ifndef JIANGAN_COMMON_BASE_FIELD_MASKS_H_
#define JIANGAN_COMMON_BASE_FIELD_MASKS_H_

#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace jiangan {

// Fields a caller may not set, by top-level name ("etag") or nested path
// ("company.normalized_name").
using OutputOnlyFields = absl::flat_hash_set<std::string>;

// INVALID_ARGUMENT naming update_mask unless `mask` names at least one
// field, and only field paths of `type` that are not output only.
absl::Status CheckUpdateMask(const google::protobuf::FieldMask& mask,
                             const google::protobuf::Descriptor* type,
                             const OutputOnlyFields& output_only);

// Clears every output-only field of `message`, so what a caller sent in
// them is ignored.
void ClearOutputOnly(const OutputOnlyFields& output_only, google::protobuf::Message* message);

// Whether `mask` names `path` itself.
bool MaskNames(const google::protobuf::FieldMask& mask, absl::string_view path);

// Copies the fields `mask` names from `patch` into `target`, replacing
// (not merging) message and repeated fields, as AIP-134 wants.
void MergeMasked(const google::protobuf::Message& patch, const google::protobuf::FieldMask& mask,
                 google::protobuf::Message* target);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_FIELD_MASKS_H_
