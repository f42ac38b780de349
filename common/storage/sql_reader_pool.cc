#include "common/storage/sql_reader_pool.h"

namespace jiangan {

absl::Status SqlReaderPool::Open(const SqlDb& db, int count) {
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<std::unique_ptr<SqlDb>> reader = db.Connect();
    if (!reader.ok()) return reader.status();
    absl::MutexLock lock(&mu_);
    free_.push_back(reader->get());
    all_.push_back(*std::move(reader));
  }
  return absl::OkStatus();
}

SqlDb* SqlReaderPool::Acquire() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](std::vector<SqlDb*>* free) { return !free->empty(); }, &free_));
  SqlDb* db = free_.back();
  free_.pop_back();
  return db;
}

void SqlReaderPool::Release(SqlDb* db) {
  absl::MutexLock lock(&mu_);
  free_.push_back(db);
}

}  // namespace jiangan
