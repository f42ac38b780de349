#include "common/base/file_util.h"

#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"

namespace jiangan {

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot be read"));
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

absl::Status ReadJsonFile(const std::string& path, google::protobuf::Message* message) {
  auto text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  auto parsed = google::protobuf::util::JsonStringToMessage(*text, message);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": not a ",
                                                   message->GetDescriptor()->full_name(), ": ",
                                                   parsed.message().as_string()));
  }
  return absl::OkStatus();
}

}  // namespace jiangan
