// The all-or-none batch create (AIP-233) of every store: the requests are
// checked outside the write lock, then stored in one transaction with the
// rollup changes they gather, or none is.
#ifndef JIANGAN_COMMON_STORAGE_BATCH_CREATE_H_
#define JIANGAN_COMMON_STORAGE_BATCH_CREATE_H_

#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "common/base/resource_versions.h"
#include "common/base/status_macros.h"
#include "common/storage/rollup.h"
#include "common/storage/sql_db.h"

namespace jiangan {

// Checks each of `count` requests with `check(i)` (INVALID_ARGUMENT first
// if a batch may not hold that many `items`), then, holding `write_mu`, in
// one transaction of `writer`, stores each checked create with
// `insert(checked, changes)` and writes the rollup changes. The first
// refusal fails the batch and keeps nothing, its message naming the field
// as requests[i].<field>. Returns what `insert` returned, in order.
template <typename Checked, typename Resource>
absl::StatusOr<std::vector<Resource>> CreateAllOrNone(
    int count, absl::string_view items, SqlDb* writer, absl::Mutex* write_mu,
    absl::FunctionRef<absl::StatusOr<Checked>(int index)> check,
    absl::FunctionRef<absl::StatusOr<Resource>(Checked checked, RollupChanges* changes)> insert) {
  RETURN_IF_ERROR(CheckBatchSize(count, items));
  std::vector<Checked> checked;
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<Checked> one = check(i);
    if (!one.ok()) return AboutBatchRequest(i, one.status());
    checked.push_back(*std::move(one));
  }
  std::vector<Resource> made;
  absl::MutexLock lock(write_mu);
  RETURN_IF_ERROR(writer->InTransaction([&]() -> absl::Status {
    made.clear();
    RollupChanges changes;
    for (size_t i = 0; i < checked.size(); ++i) {
      absl::StatusOr<Resource> one = insert(std::move(checked[i]), &changes);
      if (!one.ok()) return AboutBatchRequest(static_cast<int>(i), one.status());
      made.push_back(*std::move(one));
    }
    return changes.Write(writer);
  }));
  return made;
}

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_BATCH_CREATE_H_
