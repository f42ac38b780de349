// Reading the small files a server loads at start-up (keys, principals,
// targets), with errors that name the file.
#ifndef JIANGAN_COMMON_BASE_FILE_UTIL_H_
#define JIANGAN_COMMON_BASE_FILE_UTIL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "google/protobuf/message.h"

namespace jiangan {

// The whole file; NOT_FOUND naming it if it cannot be read.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// Parses the file as proto3 JSON into `message`; INVALID_ARGUMENT naming the
// file and the parser's complaint.
absl::Status ReadJsonFile(const std::string& path, google::protobuf::Message* message);

}  // namespace jiangan

#endif  // JIANGAN_COMMON_BASE_FILE_UTIL_H_
