// jiangan_cli: talks to the gateway (or any service) from the command line,
// in proto3 JSON. Subcommands:
//   call METHOD JSON     one unary call; prints the response as JSON
//   seed FILE            applies a JSON-lines file of {"method","request"} calls
//   frame METHOD JSON    writes the gRPC frame of a request to stdout (for h2load)
//   synthesize N         prints N synthetic renewal projects as seed lines
//   synthesize-leads N   prints N synthetic investment leads as seed lines
//   synthesize-funds N K prints K funds entries for each registered lead of
//                        the first N synthetic leads (apply after the leads)
//   synthesize-facilities N  prints N synthetic facilities as seed lines
//   synthesize-capacity N    prints a capacity reading of each of the first N
//                            synthetic facilities (apply after the facilities)
//   synthesize-residences N  prints a ReportCoverage request (15-minute
//                            circle) of N synthetic residential compounds
//   identity             prints the metadata a gateway would send to assert
//                        --principal/--department/--role, signed with
//                        --identity_key_file (for load tests of a service)
//   copy-to-postgres FILE URL_FILE  copies a stopped service's SQLite file
//                        into the PostgreSQL database whose URL is in
//                        URL_FILE, once the service has made its tables there
// With --identity_key_file, call and seed assert that identity too, so they
// can talk to a service directly.
// METHOD is "jiangan.renewal.v1.RenewalService/GetProject" or the like; JSON
// may be "@path" to read the request from a file.
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/clock.h"
#include "common/runtime/api_catalog.h"
#include "common/base/file_util.h"
#include "common/base/hmac.h"
#include "common/identity/identity.h"
#include "common/runtime/rpc_observer.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "google/protobuf/util/json_util.h"
#include "common/storage/copy_to_postgres.h"
#include "common/storage/open_database.h"
#include "tools/synthetic_facilities.h"
#include "tools/synthetic_leads.h"
#include "tools/synthetic_portfolio.h"

ABSL_FLAG(std::string, target, "localhost:50050", "host:port of the gateway.");
ABSL_FLAG(absl::Duration, timeout, absl::Seconds(10), "Deadline of each call.");
ABSL_FLAG(std::string, authorization, "", "Sent as the `authorization` header.");
ABSL_FLAG(int, parallel, 1,
          "seed: calls in flight at once. Above 1 the lines are applied in no set order, so "
          "use it only for files whose lines do not depend on each other.");
ABSL_FLAG(int, batch, 1,
          "seed: up to this many consecutive creates of one kind in one call of the "
          "service's BatchCreate method (AIP-233, e.g. BatchCreateProjects for CreateProject), "
          "where it has one: a bulk load.");
ABSL_FLAG(uint64_t, random_seed, 20240101, "synthesize: seed of the generator.");
ABSL_FLAG(std::string, identity_key_file, "",
          "The key file the gateway signs identities with. When set, calls (and `identity`) "
          "assert --principal/--department/--role as the gateway would, for calling a "
          "service directly.");
ABSL_FLAG(std::string, principal, "bench@local", "Asserted identity: who.");
ABSL_FLAG(std::string, department, "区人民政府办公室", "Asserted identity: the department.");
ABSL_FLAG(std::string, role, "ADMIN", "Asserted identity: VIEWER, EDITOR or ADMIN.");

namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  return std::unique_ptr<Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type)->New());
}

// Parses `json` as the request of `method_name`; prints why not.
std::unique_ptr<Message> ParseRequest(const std::string& method_name, const std::string& json,
                                      const MethodDescriptor** method) {
  *method = jiangan::FindApiMethod(method_name);
  if (*method == nullptr) {
    std::cerr << "unknown method " << method_name << "\n";
    return nullptr;
  }
  auto request = NewMessage((*method)->input_type());
  // "@path" reads the request from a file: a big one does not fit in an
  // argument.
  std::string text = json;
  if (absl::StartsWith(json, "@")) {
    auto read = jiangan::ReadFileToString(json.substr(1));
    if (!read.ok()) {
      std::cerr << read.status() << "\n";
      return nullptr;
    }
    text = *std::move(read);
  }
  auto parsed = google::protobuf::util::JsonStringToMessage(text, request.get());
  if (!parsed.ok()) {
    std::cerr << "request is not a " << (*method)->input_type()->full_name() << ": "
              << parsed.ToString() << "\n";
    return nullptr;
  }
  return request;
}

// The identity metadata of --principal/--department/--role signed with
// --identity_key_file; empty without a key file.
std::vector<std::pair<std::string, std::string>> SignedIdentity() {
  static const auto* signer = []() -> jiangan::IdentitySigner* {
    const std::string path = absl::GetFlag(FLAGS_identity_key_file);
    if (path.empty()) return nullptr;
    auto key = jiangan::ReadKeyFile(path);
    if (!key.ok()) {
      std::cerr << key.status() << "\n";
      std::exit(2);
    }
    return new jiangan::IdentitySigner(*key);
  }();
  if (signer == nullptr) return {};
  auto role = jiangan::ParseRole(absl::GetFlag(FLAGS_role));
  if (!role.ok()) {
    std::cerr << role.status() << "\n";
    std::exit(2);
  }
  return signer->Sign({absl::GetFlag(FLAGS_principal), absl::GetFlag(FLAGS_department), *role},
                      absl::Now());
}

grpc::Status Call(grpc::GenericStub& stub, const MethodDescriptor* method,
                  const Message& request, Message* response) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::GetFlag(FLAGS_timeout)));
  if (std::string auth = absl::GetFlag(FLAGS_authorization); !auth.empty()) {
    context.AddMetadata("authorization", auth);
  }
  // Straight to a service: assert the identity as the gateway would.
  for (const auto& [name, value] : SignedIdentity()) context.AddMetadata(name, value);
  std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, absl::StrCat("/", method->service()->full_name(), "/", method->name()),
                 grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  std::string out;
  (void)response_buffer.Dump(&slices);
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  if (!response->ParseFromString(out)) {
    return grpc::Status(grpc::INTERNAL, "response does not parse");
  }
  return status;
}

void PrintError(const grpc::Status& status) {
  std::cerr << jiangan::StatusCodeName(status.error_code()) << ": " << status.error_message()
            << "\n";
}

int RunCall(grpc::GenericStub& stub, const std::string& method_name, const std::string& json) {
  const MethodDescriptor* method = nullptr;
  auto request = ParseRequest(method_name, json, &method);
  if (request == nullptr) return 2;
  auto response = NewMessage(method->output_type());
  grpc::Status status = Call(stub, method, *request, response.get());
  if (!status.ok()) {
    PrintError(status);
    return 1;
  }
  std::string out;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  (void)google::protobuf::util::MessageToJsonString(*response, &out, options);
  std::cout << out;
  return 0;
}

// What one seed line asks for (or several consecutive ones, batched).
struct SeedCall {
  int line_number = 0;
  const MethodDescriptor* method = nullptr;
  std::unique_ptr<Message> request;
};

// The AIP-233 batch counterpart of `create` in its service: a "Batch..."
// method whose repeated `requests` are create's requests, or null.
const MethodDescriptor* BatchMethodOf(const MethodDescriptor* create) {
  const google::protobuf::ServiceDescriptor* service = create->service();
  for (int i = 0; i < service->method_count(); ++i) {
    const MethodDescriptor* method = service->method(i);
    const google::protobuf::FieldDescriptor* requests =
        method->input_type()->FindFieldByName("requests");
    if (absl::StartsWith(method->name(), "Batch") && requests != nullptr &&
        requests->is_repeated() && requests->message_type() == create->input_type()) {
      return method;
    }
  }
  return nullptr;
}

// Consecutive calls of a Create method that has a batch counterpart become
// calls of it, up to `size` each; others stay as they are.
std::vector<SeedCall> Batched(std::vector<SeedCall> calls, int size) {
  if (size <= 1) return calls;
  std::vector<SeedCall> batched;
  for (SeedCall& call : calls) {
    const MethodDescriptor* batch = BatchMethodOf(call.method);
    if (batch == nullptr) {
      batched.push_back(std::move(call));
      continue;
    }
    const google::protobuf::FieldDescriptor* requests =
        batch->input_type()->FindFieldByName("requests");
    SeedCall* last = batched.empty() ? nullptr : &batched.back();
    if (last == nullptr || last->method != batch ||
        last->request->GetReflection()->FieldSize(*last->request, requests) >= size) {
      SeedCall opened;
      opened.line_number = call.line_number;
      opened.method = batch;
      opened.request = NewMessage(batch->input_type());
      batched.push_back(std::move(opened));
      last = &batched.back();
    }
    last->request->GetReflection()->AddMessage(last->request.get(), requests)->CopyFrom(*call.request);
  }
  return batched;
}

int RunSeed(grpc::GenericStub& stub, const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "cannot read " << path << "\n";
    return 2;
  }
  // Every line is parsed before any is sent, so a malformed file applies
  // nothing.
  std::vector<SeedCall> calls;
  int line_number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty()) continue;
    // Each line: {"method": "...", "request": {...}}.
    google::protobuf::Struct entry;
    if (!google::protobuf::util::JsonStringToMessage(line, &entry).ok() ||
        !entry.fields().contains("method") || !entry.fields().contains("request")) {
      std::cerr << path << ":" << line_number << ": not {\"method\", \"request\"}\n";
      return 2;
    }
    std::string request_json;
    (void)google::protobuf::util::MessageToJsonString(entry.fields().at("request"),
                                                      &request_json);
    SeedCall call;
    call.line_number = line_number;
    call.request = ParseRequest(entry.fields().at("method").string_value(), request_json,
                                &call.method);
    if (call.request == nullptr) {
      std::cerr << path << ":" << line_number << ": rejected\n";
      return 2;
    }
    calls.push_back(std::move(call));
  }
  calls = Batched(std::move(calls), absl::GetFlag(FLAGS_batch));
  std::atomic<size_t> next{0};
  std::atomic<int> applied{0}, existing{0}, failed{0};
  // A create repeated with its request_id answers with the record made the
  // first time: one made before this run started was already present.
  const int64_t started = absl::ToUnixSeconds(absl::Now()) - 1;
  auto made_before_this_run = [started](const Message& response) {
    const auto* field = response.GetDescriptor()->FindFieldByName("create_time");
    if (field == nullptr || field->message_type() == nullptr ||
        field->message_type()->full_name() != "google.protobuf.Timestamp" ||
        !response.GetReflection()->HasField(response, field)) {
      return false;
    }
    const auto& time = static_cast<const google::protobuf::Timestamp&>(
        response.GetReflection()->GetMessage(response, field));
    return time.seconds() < started;
  };
  auto work = [&] {
    for (size_t i = next++; i < calls.size() && failed == 0; i = next++) {
      const SeedCall& call = calls[i];
      auto response = NewMessage(call.method->output_type());
      grpc::Status status = Call(stub, call.method, *call.request, response.get());
      if (status.error_code() == grpc::ALREADY_EXISTS) {
        ++existing;
      } else if (!status.ok()) {
        std::cerr << path << ":" << call.line_number << ": ";
        PrintError(status);
        ++failed;
      } else if (call.method->name().rfind("Batch", 0) == 0) {
        // A batch answers with what each of its creates made or found.
        const auto* made = response->GetDescriptor()->field(0);
        for (int k = 0; k < response->GetReflection()->FieldSize(*response, made); ++k) {
          const Message& one = response->GetReflection()->GetRepeatedMessage(*response, made, k);
          ++(made_before_this_run(one) ? existing : applied);
        }
      } else if (made_before_this_run(*response)) {
        ++existing;
      } else {
        ++applied;
      }
    }
  };
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, absl::GetFlag(FLAGS_parallel)); ++i) workers.emplace_back(work);
  for (std::thread& worker : workers) worker.join();
  if (failed > 0) return 1;
  std::cout << "seed " << path << ": " << applied << " applied, " << existing
            << " already present, in " << calls.size() << " calls\n";
  return 0;
}

int RunSynthesize(const std::string& count_text) {
  int64_t count = 0;
  if (!absl::SimpleAtoi(count_text, &count) || count < 0) {
    std::cerr << "synthesize: N must be a non-negative number\n";
    return 2;
  }
  jiangan::tools::WriteSyntheticProjects(count, absl::GetFlag(FLAGS_random_seed), std::cout);
  return 0;
}

int RunSynthesizeLeads(const std::vector<char*>& args) {
  int64_t count = 0;
  int per_lead = 0;
  if (!absl::SimpleAtoi(args[2], &count) || count < 0 ||
      (args.size() == 4 && (!absl::SimpleAtoi(args[3], &per_lead) || per_lead < 0))) {
    std::cerr << args[1] << ": N (and K) must be non-negative numbers\n";
    return 2;
  }
  if (args.size() == 4) {
    jiangan::tools::WriteSyntheticFunds(count, per_lead, absl::GetFlag(FLAGS_random_seed),
                                        std::cout);
  } else {
    jiangan::tools::WriteSyntheticLeads(count, absl::GetFlag(FLAGS_random_seed), std::cout);
  }
  return 0;
}

int RunSynthesizeFacilities(const std::string& command, const std::string& count_text) {
  int64_t count = 0;
  if (!absl::SimpleAtoi(count_text, &count) || count < 0) {
    std::cerr << command << ": N must be a non-negative number\n";
    return 2;
  }
  const uint64_t seed = absl::GetFlag(FLAGS_random_seed);
  if (command == "synthesize-facilities") {
    jiangan::tools::WriteSyntheticFacilities(count, seed, std::cout);
  } else if (command == "synthesize-capacity") {
    jiangan::tools::WriteSyntheticCapacities(count, seed, std::cout);
  } else {
    jiangan::facilities::v1::ReportCoverageRequest request;
    request.set_profile(jiangan::facilities::v1::FIFTEEN_MINUTE_LIVING_CIRCLE);
    for (int64_t i = 0; i < count; ++i) {
      *request.add_points() = jiangan::tools::SyntheticResidence(seed, i);
    }
    std::string json;
    (void)google::protobuf::util::MessageToJsonString(request, &json);
    std::cout << json << "\n";
  }
  return 0;
}

int RunIdentity() {
  if (absl::GetFlag(FLAGS_identity_key_file).empty()) {
    std::cerr << "identity: --identity_key_file is required\n";
    return 2;
  }
  for (const auto& [name, value] : SignedIdentity()) std::cout << name << ": " << value << "\n";
  return 0;
}

int RunFrame(const std::string& method_name, const std::string& json) {
  const MethodDescriptor* method = nullptr;
  auto request = ParseRequest(method_name, json, &method);
  if (request == nullptr) return 2;
  std::string bytes = request->SerializeAsString();
  // gRPC length-prefixed message: no compression flag, 4-byte big-endian length.
  std::string frame(5, '\0');
  const uint32_t length = static_cast<uint32_t>(bytes.size());
  frame[1] = static_cast<char>(length >> 24);
  frame[2] = static_cast<char>(length >> 16);
  frame[3] = static_cast<char>(length >> 8);
  frame[4] = static_cast<char>(length);
  std::cout << frame << bytes;
  return 0;
}

// Copies a service's SQLite file into the PostgreSQL database named in
// `url_file`, where the service has made its tables.
int RunCopyToPostgres(const std::string& file, const std::string& url_file) {
  if (!std::filesystem::exists(file)) {
    std::cerr << "copy-to-postgres: " << file << " does not exist\n";
    return 2;
  }
  absl::StatusOr<std::string> url = jiangan::ReadFileToString(url_file);
  if (!url.ok()) {
    std::cerr << "copy-to-postgres: " << url.status().message() << "\n";
    return 2;
  }
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<jiangan::SqlDb>> sqlite = jiangan::OpenDatabase("", file);
  absl::StatusOr<std::unique_ptr<jiangan::SqlDb>> postgres =
      jiangan::OpenDatabase(std::string(absl::StripAsciiWhitespace(*url)), "");
  absl::StatusOr<std::vector<jiangan::CopiedTable>> copied =
      !sqlite.ok()     ? sqlite.status()
      : !postgres.ok() ? postgres.status()
                       : jiangan::CopyToPostgres(sqlite->get(), postgres->get());
  if (!copied.ok()) {
    std::cerr << "copy-to-postgres: " << copied.status() << "\n";
    return 1;
  }
  int64_t rows = 0;
  for (const jiangan::CopiedTable& table : *copied) {
    std::cout << table.table << ": " << table.rows << " rows\n";
    rows += table.rows;
  }
  std::cout << "copied " << rows << " rows of " << copied->size() << " tables in "
            << absl::FormatDuration(absl::Trunc(absl::Now() - start, absl::Milliseconds(100)))
            << "\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "jiangan_cli [--target=host:port] call METHOD JSON | seed FILE | frame METHOD JSON | "
      "synthesize N | identity | copy-to-postgres FILE URL_FILE");
  std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  if (args.size() == 2 && std::string(args[1]) == "identity") return RunIdentity();
  if (args.size() < 3) {
    std::cerr << absl::ProgramUsageMessage() << "\n";
    return 2;
  }
  const std::string command = args[1];
  if (command == "frame" && args.size() == 4) return RunFrame(args[2], args[3]);
  if (command == "synthesize" && args.size() == 3) return RunSynthesize(args[2]);
  if (command == "synthesize-leads" && args.size() == 3) return RunSynthesizeLeads(args);
  if (command == "synthesize-funds" && args.size() == 4) return RunSynthesizeLeads(args);
  if ((command == "synthesize-facilities" || command == "synthesize-capacity" ||
       command == "synthesize-residences") &&
      args.size() == 3) {
    return RunSynthesizeFacilities(command, args[2]);
  }
  if (command == "copy-to-postgres" && args.size() == 4) return RunCopyToPostgres(args[2], args[3]);
  auto channel = grpc::CreateChannel(absl::GetFlag(FLAGS_target),
                                     grpc::InsecureChannelCredentials());
  grpc::GenericStub stub(channel);
  if (command == "call" && args.size() == 4) return RunCall(stub, args[2], args[3]);
  if (command == "seed" && args.size() == 3) return RunSeed(stub, args[2]);
  std::cerr << absl::ProgramUsageMessage() << "\n";
  return 2;
}
