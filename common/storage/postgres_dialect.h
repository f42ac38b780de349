// The few places where PostgreSQL spells the stores' SQL differently from
// SQLite, in which the stores write it. Named here once, applied by the
// PostgreSQL engine to every statement it prepares or runs.
#ifndef JIANGAN_COMMON_STORAGE_POSTGRES_DIALECT_H_
#define JIANGAN_COMMON_STORAGE_POSTGRES_DIALECT_H_

#include <string>

#include "absl/strings/string_view.h"

namespace jiangan {

// `sql` as PostgreSQL reads it, outside quoted strings and identifiers:
// - `?` parameters are numbered `$1`, `$2`, ... (so the stores write bare
//   `?` only, never SQLite's `?NNN`);
// - INTEGER is BIGINT (SQLite's integers are 64-bit; PostgreSQL's INTEGER is
//   not), and INTEGER PRIMARY KEY AUTOINCREMENT an identity column;
// - BLOB is BYTEA, REAL is DOUBLE PRECISION, TEXT compares bytes (COLLATE "C");
// - WITHOUT ROWID (a SQLite storage hint) is dropped;
// - instr(text, part), SQLite's substring search, is strpos;
// - an R*Tree virtual table is a plain table with a B-tree index on its
//   first two bounds (PostgreSQL's spatial indexes would need the queries
//   spelled in its geometric operators).
// Keywords are matched as the stores write them (types upper case, instr
// lower case) and only as whole words.
std::string TranslateForPostgres(absl::string_view sql);

// The number of `?` parameters of `sql`, outside quotes.
int CountParameters(absl::string_view sql);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_STORAGE_POSTGRES_DIALECT_H_
