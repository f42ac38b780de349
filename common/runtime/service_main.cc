#include "common/runtime/service_main.h"

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/file_util.h"
#include "common/base/hmac.h"
#include "common/base/logging.h"
#include "common/runtime/server_runtime.h"
#include "common/storage/open_database.h"

ABSL_FLAG(std::string, host, "0.0.0.0", "Address to listen on for gRPC and HTTP.");
ABSL_FLAG(int, grpc_port, -1, "gRPC port (0 picks a free one).");
ABSL_FLAG(int, http_port, -1, "Admin HTTP port for /healthz and /metrics.");
ABSL_FLAG(std::string, db_path, "", "SQLite database file; created if missing.");
ABSL_FLAG(std::string, database_url_file, "",
          "File holding a PostgreSQL connection URL (postgresql://user:password@host:port/db); "
          "when given, the service keeps its data there instead of in --db_path. A file, so "
          "that the password comes from a mounted secret and never shows in the process list.");
ABSL_FLAG(int, workers, 8, "Threads that run storage work.");
ABSL_FLAG(std::string, identity_key_file, "",
          "File holding the key (32+ bytes) that the gateway signs identities with. Required: "
          "no call is served without a verified identity.");
ABSL_FLAG(absl::Duration, drain_notice, absl::Seconds(1),
          "How long after SIGTERM the server reports NOT_SERVING but still answers, so that "
          "clients move their calls to other replicas before it stops accepting them.");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(20),
          "How long in-flight RPCs may run after SIGTERM.");

namespace jiangan {

int RunService(int argc, char** argv, const ServiceDefaults& defaults,
               const ServiceFactory& make_service) {
  PrepareServerProcess();
  absl::SetFlag(&FLAGS_grpc_port, defaults.grpc_port);
  absl::SetFlag(&FLAGS_http_port, defaults.http_port);
  absl::SetFlag(&FLAGS_db_path, defaults.db_path);
  absl::SetProgramUsageMessage(
      absl::StrCat("Jiang'an Portfolio ", defaults.component, " service"));
  absl::ParseCommandLine(argc, argv);
  SetLogComponent(defaults.component);

  auto fail = [](const absl::Status& status) {
    Log(LogLevel::kError, "startup_failed", {{"error", status.ToString()}});
    return 1;
  };
  std::string database_url;
  if (const std::string url_file = absl::GetFlag(FLAGS_database_url_file); !url_file.empty()) {
    auto url = ReadFileToString(url_file);
    if (!url.ok()) return fail(url.status());
    database_url = std::string(absl::StripAsciiWhitespace(*url));
    if (database_url.empty()) {
      return fail(absl::InvalidArgumentError(
          absl::StrCat("--database_url_file: ", url_file, " is empty")));
    }
  }
  auto db = OpenDatabase(database_url, absl::GetFlag(FLAGS_db_path));
  if (!db.ok()) return fail(db.status());
  // Workers hold storage work; a queue of a few thousand absorbs bursts while
  // bounding memory.
  Executor executor(absl::GetFlag(FLAGS_workers), 4096);
  const std::string key_file = absl::GetFlag(FLAGS_identity_key_file);
  if (key_file.empty()) return fail(absl::InvalidArgumentError("--identity_key_file: is required"));
  auto key = ReadKeyFile(key_file);
  if (!key.ok()) return fail(key.status());
  auto services = make_service({db->get(), &executor, *std::move(key)});
  if (!services.ok()) return fail(services.status());
  std::vector<grpc::Service*> served;
  for (const auto& service : *services) served.push_back(service.get());

  ServerOptions options;
  options.component = defaults.component;
  options.grpc_address =
      absl::StrCat(absl::GetFlag(FLAGS_host), ":", absl::GetFlag(FLAGS_grpc_port));
  options.http_host = absl::GetFlag(FLAGS_host);
  options.http_port = absl::GetFlag(FLAGS_http_port);
  options.drain_notice = absl::GetFlag(FLAGS_drain_notice);
  options.drain_timeout = absl::GetFlag(FLAGS_drain_timeout);
  ServerRuntime runtime(options);
  if (absl::Status started = runtime.Start(served); !started.ok()) {
    return fail(started);
  }
  runtime.WaitForShutdownSignalAndDrain();
  executor.Shutdown();
  return 0;
}

}  // namespace jiangan
