// Which top-level fields differ between two versions of a message, and
// each field's value as JSON: what a change history records and shows.
#ifndef JIANGAN_COMMON_BASE_MESSAGE_DIFF_H_
#define JIANGAN_COMMON_BASE_MESSAGE_DIFF_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "google/protobuf/message.h"

namespace jiangan {

// Fields of `before` and `after` (the same type) whose values differ, in
// field-number order, skipping those named in `ignored` (e.g. bookkeeping
// like "update_time").
std::vector<const google::protobuf::FieldDescriptor*> ChangedFields(
    const google::protobuf::Message& before, const google::protobuf::Message& after,
    const absl::flat_hash_set<std::string>& ignored);

// A copy of `source` holding only `fields`.
std::unique_ptr<google::protobuf::Message> KeepOnly(
    const google::protobuf::Message& source,
    const std::vector<const google::protobuf::FieldDescriptor*>& fields);

// Proto3 JSON of a message of `source`'s type holding only `field`'s value,
// e.g. {"phase":"APPROVED"}; "{}" when it is unset.
std::string FieldAsJson(const google::protobuf::Message& source,
                        const google::protobuf::FieldDescriptor* field);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_MESSAGE_DIFF_H_
