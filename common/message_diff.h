// Which top-level fields differ between two versions of a message, with
// both values as JSON: what a change history records.
#ifndef JIANGAN_COMMON_MESSAGE_DIFF_H_
#define JIANGAN_COMMON_MESSAGE_DIFF_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "google/protobuf/message.h"

namespace jiangan {

struct FieldDifference {
  std::string field;      // e.g. "phase"
  std::string old_value;  // proto3 JSON of a message holding only that field
  std::string new_value;  // the same for the new version
};

// Fields of `before` and `after` (the same type) whose values differ, in
// field-number order, skipping those named in `ignored` (e.g. bookkeeping
// like "update_time").
std::vector<FieldDifference> DiffMessages(const google::protobuf::Message& before,
                                          const google::protobuf::Message& after,
                                          const absl::flat_hash_set<std::string>& ignored);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_MESSAGE_DIFF_H_
