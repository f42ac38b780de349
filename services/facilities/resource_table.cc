#include "services/facilities/resource_table.h"

#include "absl/strings/str_cat.h"

namespace jiangan {
namespace {

bool IsPlainIdentifier(absl::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  }
  return true;
}

ResourceRow ReadRow(const SqliteStatement& stmt) {
  return ResourceRow{stmt.ColumnInt64(0), stmt.ColumnText(1), stmt.ColumnInt64(2),
                     stmt.ColumnBlob(3)};
}

constexpr char kColumns[] = "seq, id, version, payload";

}  // namespace

absl::StatusOr<std::unique_ptr<ResourceTable>> ResourceTable::Open(
    SqliteDb* db, std::string collection) {
  if (!IsPlainIdentifier(collection)) {
    return absl::InvalidArgumentError(
        absl::StrCat("collection \"", collection, "\" is not a plain identifier"));
  }
  absl::Status created = db->Exec(absl::StrCat(
      "CREATE TABLE IF NOT EXISTS ", collection,
      " (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
      "request_id TEXT UNIQUE, version INTEGER NOT NULL, payload BLOB NOT NULL)"));
  if (!created.ok()) return created;
  return std::unique_ptr<ResourceTable>(new ResourceTable(db, std::move(collection)));
}

absl::StatusOr<std::optional<ResourceRow>> ResourceTable::FindLocked(
    absl::string_view column, absl::string_view value) {
  auto stmt = db_->Prepare(absl::StrCat("SELECT ", kColumns, " FROM ", collection_,
                                        " WHERE ", column, " = ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindText(1, value);
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) return std::optional<ResourceRow>();
  return std::optional<ResourceRow>(ReadRow(*stmt));
}

absl::StatusOr<ResourceRow> ResourceTable::Insert(
    absl::string_view id, absl::string_view request_id,
    const std::function<absl::StatusOr<std::string>(int64_t, int64_t)>& make_payload) {
  absl::MutexLock lock(&mu_);
  ResourceRow result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    if (!request_id.empty()) {
      auto earlier = FindLocked("request_id", request_id);
      if (!earlier.ok()) return earlier.status();
      if (earlier->has_value()) {
        result = **earlier;
        return absl::OkStatus();
      }
    }
    auto existing = FindLocked("id", id);
    if (!existing.ok()) return existing.status();
    if (existing->has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat(collection_, "/", id, " already exists"));
    }
    auto next_seq = db_->Prepare(absl::StrCat(
        "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = '",
        collection_, "'), 0) + 1"));
    if (!next_seq.ok()) return next_seq.status();
    if (auto stepped = next_seq->Step(); !stepped.ok()) return stepped.status();
    result.seq = next_seq->ColumnInt64(0);
    result.id = std::string(id);
    result.version = 1;
    auto payload = make_payload(result.seq, result.version);
    if (!payload.ok()) return payload.status();
    result.payload = *std::move(payload);
    auto insert = db_->Prepare(absl::StrCat(
        "INSERT INTO ", collection_,
        " (seq, id, request_id, version, payload) VALUES (?, ?, ?, ?, ?)"));
    if (!insert.ok()) return insert.status();
    insert->BindInt64(1, result.seq);
    insert->BindText(2, id);
    if (request_id.empty()) {
      insert->BindNull(3);
    } else {
      insert->BindText(3, request_id);
    }
    insert->BindInt64(4, result.version);
    insert->BindBlob(5, result.payload);
    return insert->Run();
  });
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<ResourceRow> ResourceTable::Get(absl::string_view id) {
  absl::MutexLock lock(&mu_);
  auto row = FindLocked("id", id);
  if (!row.ok()) return row.status();
  if (!row->has_value()) {
    return absl::NotFoundError(absl::StrCat(collection_, "/", id, " does not exist"));
  }
  return **row;
}

absl::StatusOr<std::vector<ResourceRow>> ResourceTable::ListAfter(int64_t after_seq,
                                                                  int limit) {
  absl::MutexLock lock(&mu_);
  auto stmt = db_->Prepare(absl::StrCat("SELECT ", kColumns, " FROM ", collection_,
                                        " WHERE seq > ? ORDER BY seq LIMIT ?"));
  if (!stmt.ok()) return stmt.status();
  stmt->BindInt64(1, after_seq);
  stmt->BindInt64(2, limit);
  std::vector<ResourceRow> rows;
  while (true) {
    absl::StatusOr<bool> has_row = stmt->Step();
    if (!has_row.ok()) return has_row.status();
    if (!*has_row) break;
    rows.push_back(ReadRow(*stmt));
  }
  return rows;
}

absl::StatusOr<ResourceRow> ResourceTable::Update(
    absl::string_view id,
    const std::function<absl::StatusOr<std::string>(const ResourceRow&, int64_t)>&
        change) {
  absl::MutexLock lock(&mu_);
  ResourceRow result;
  absl::Status status = db_->InTransaction([&]() -> absl::Status {
    auto current = FindLocked("id", id);
    if (!current.ok()) return current.status();
    if (!current->has_value()) {
      return absl::NotFoundError(absl::StrCat(collection_, "/", id, " does not exist"));
    }
    result = **current;
    result.version += 1;
    auto payload = change(**current, result.version);
    if (!payload.ok()) return payload.status();
    result.payload = *std::move(payload);
    auto update = db_->Prepare(absl::StrCat(
        "UPDATE ", collection_, " SET version = ?, payload = ? WHERE id = ?"));
    if (!update.ok()) return update.status();
    update->BindInt64(1, result.version);
    update->BindBlob(2, result.payload);
    update->BindText(3, id);
    return update->Run();
  });
  if (!status.ok()) return status;
  return result;
}

}  // namespace jiangan
