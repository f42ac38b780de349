#include "common/storage/sqlite_reader_pool.h"

namespace jiangan {

absl::Status SqliteReaderPool::Open(const std::string& path, int count,
                                    const std::function<absl::Status(SqliteDb*)>& setup) {
  for (int i = 0; i < count; ++i) {
    auto db = SqliteDb::Open(path);
    if (!db.ok()) return db.status();
    if (absl::Status ready = setup(db->get()); !ready.ok()) return ready;
    absl::MutexLock lock(&mu_);
    free_.push_back(db->get());
    all_.push_back(*std::move(db));
  }
  return absl::OkStatus();
}

SqliteDb* SqliteReaderPool::Acquire() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](std::vector<SqliteDb*>* free) { return !free->empty(); }, &free_));
  SqliteDb* db = free_.back();
  free_.pop_back();
  return db;
}

void SqliteReaderPool::Release(SqliteDb* db) {
  absl::MutexLock lock(&mu_);
  free_.push_back(db);
}

}  // namespace jiangan
