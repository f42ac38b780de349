#include "tests/support/postgres_server.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/base/status_macros.h"
#include "common/storage/postgres_db.h"

namespace jiangan::testing {
namespace {

// Where Debian's postgresql-15 puts initdb and postgres; PATH otherwise.
std::string Binary(const std::string& name) {
  const std::string debian = absl::StrCat("/usr/lib/postgresql/15/bin/", name);
  return std::filesystem::exists(debian) ? debian : name;
}

// The user to run as when the tests run as root.
absl::StatusOr<std::optional<RunAs>> ServerUser() {
  if (::geteuid() != 0) return std::nullopt;
  const passwd* user = ::getpwnam("postgres");
  if (user == nullptr) {
    return absl::FailedPreconditionError(
        "running as root, and there is no postgres user to run PostgreSQL as (Debian's "
        "postgresql-15 package makes it)");
  }
  return RunAs{user->pw_uid, user->pw_gid};
}

absl::Status Own(const std::string& path, const std::optional<RunAs>& user) {
  if (user.has_value() && ::chown(path.c_str(), user->uid, user->gid) != 0) {
    return absl::InternalError(absl::StrCat("cannot chown ", path));
  }
  return absl::OkStatus();
}

// The cluster folder of the server on 127.0.0.1:`port`.
absl::StatusOr<std::string> DataDirectoryAt(int port) {
  ASSIGN_OR_RETURN(std::unique_ptr<PostgresDb> db,
                   PostgresDb::Open(absl::StrCat("postgresql://postgres@127.0.0.1:", port,
                                                 "/postgres")));
  ASSIGN_OR_RETURN(SqlStatement show, db->Prepare("SELECT current_setting('data_directory')"));
  ASSIGN_OR_RETURN(const bool row, show.Step());
  if (!row) return absl::InternalError("data_directory: no row");
  return show.ColumnText(0);
}

}  // namespace

absl::Status PostgresServer::Start() {
  ASSIGN_OR_RETURN(const std::optional<RunAs> user, ServerUser());
  const std::string dir = MakeTempDir();
  if (dir.empty() || ::chmod(dir.c_str(), 0755) != 0) {
    return absl::InternalError("cannot make a folder for the PostgreSQL cluster");
  }
  const std::string data = absl::StrCat(dir, "/data");
  if (::mkdir(data.c_str(), 0700) != 0) return absl::InternalError("cannot make " + data);
  RETURN_IF_ERROR(Own(data, user));
  const std::string log = absl::StrCat(dir, "/postgres.log");
  {
    ASSIGN_OR_RETURN(std::unique_ptr<ChildProcess> initdb,
                     ChildProcess::Start({Binary("initdb"), "-D", data, "-U", "postgres", "-A",
                                          "trust", "--no-locale", "-E", "UTF8", "--no-sync"},
                                         log, user));
    ASSIGN_OR_RETURN(const int exit, initdb->SignalAndWait(0, absl::Seconds(120)));
    if (exit != 0) {
      return absl::InternalError(absl::StrCat("initdb failed (", exit, "): ", initdb->ReadLog()));
    }
  }
  // A port free when picked may be taken by another test before postgres
  // binds it; postgres then exits, and is started again on another port.
  absl::Status connected;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    port_ = PickFreePort();
    ASSIGN_OR_RETURN(process_,
                     ChildProcess::Start({Binary("postgres"), "-D", data, "-p", absl::StrCat(port_),
                                          "-h", "127.0.0.1", "-k", "", "-c", "fsync=off", "-c",
                                          "synchronous_commit=off", "-c", "full_page_writes=off",
                                          "-c", "max_connections=400", "-c", "shared_buffers=64MB"},
                                         log, user));
    // It accepts connections before it is ready: ready once one succeeds,
    // and ours if it serves our cluster.
    const bool ours = process_->WaitUntil(
        [&] {
          absl::StatusOr<std::string> serves = DataDirectoryAt(port_);
          connected = serves.status();
          std::error_code unused;
          return serves.ok() && std::filesystem::equivalent(*serves, data, unused);
        },
        absl::Seconds(60));
    if (ours) return absl::OkStatus();
    if (process_->Running()) break;
  }
  return absl::UnavailableError(absl::StrCat("postgres did not start on port ", port_, ": ",
                                             connected.message(), "\n", process_->ReadLog()));
}

absl::StatusOr<std::string> PostgresServer::CreateDatabase(const std::string& name) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<PostgresDb> admin,
      PostgresDb::Open(absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/postgres")));
  RETURN_IF_ERROR(admin->Exec(absl::StrCat("CREATE DATABASE \"", name, "\"")));
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/", name);
}

absl::StatusOr<PostgresServer*> SharedPostgresServer() {
  static absl::Mutex* const mu = new absl::Mutex;
  static PostgresServer* server = nullptr;
  absl::MutexLock lock(mu);
  if (server == nullptr) {
    auto started = std::make_unique<PostgresServer>();
    RETURN_IF_ERROR(started->Start());
    // Lives as long as the process; the death signal stops it.
    server = started.release();
  }
  return server;
}

absl::StatusOr<std::string> NewPostgresDatabase(const std::string& purpose) {
  static std::atomic<int> made{0};
  ASSIGN_OR_RETURN(PostgresServer* server, SharedPostgresServer());
  std::string name;
  for (char c : purpose) name.push_back(absl::ascii_isalnum(c) ? absl::ascii_tolower(c) : '_');
  return server->CreateDatabase(absl::StrCat(name, "_", ++made));
}

}  // namespace jiangan::testing
